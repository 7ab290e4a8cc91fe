extension ConfigLoader {
    /// The channel files, one channel per file named by its stem. A file with errors (a secret that is not set or
    /// cannot be read, a bad key) becomes a `BrokenChannel`: it fails alone while everything else runs. Its
    /// warnings join `problems`; its errors stay with it (`check` still reports them and exits 2).
    static func decodeChannels(_ pattern: String, zone: TimeZoneRules, problems: ProblemList,
                               environment: [String: String]) -> [String: any Channel] {
        var channels: [String: any Channel] = [:]
        for file in expandFiles(pattern) {
            let local = ProblemList()
            let channel = ChannelDecoder.decode(file: file, zone: zone, problems: local, environment: environment)
            for warning in local.warnings {
                problems.warning(SourceLocation(file: warning.file, line: warning.line, column: warning.column),
                                 warning.message)
            }
            let name = channel?.name ?? ChannelDecoder.channelName(file)
            if !local.errors.isEmpty || channel == nil {
                let errors = local.errors.isEmpty
                    ? [ConfigProblem(file: file, line: 1, column: 1, message: "channel \(name) cannot be read")]
                    : local.errors
                channels[name] = BrokenChannel(name: name, problems: errors)
            } else if let channel {
                channels[name] = channel
            }
        }
        return channels
    }

    /// With a broken channel, the `ChannelBroken` alert and what it watches, sent through the working channels.
    static func addChannelBrokenAlert(_ configuration: inout Configuration) {
        let broken = configuration.brokenChannels
        guard !broken.isEmpty, !configuration.rules.contains(where: { $0.name == BrokenChannel.alertName })
        else { return }
        let healthy = configuration.channels.keys.filter { !(configuration.channels[$0] is BrokenChannel) }.sorted()
        configuration.rules.append(BrokenChannel.alertRule(healthy: healthy))
        configuration.collectors.append(BrokenChannelsCollector(broken: broken))
    }
}
