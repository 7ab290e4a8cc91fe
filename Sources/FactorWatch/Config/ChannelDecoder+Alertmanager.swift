extension ChannelDecoder {
    static let alertmanagerKeys = ["type", "url", "urls", "interval", "validity", "generator_url", "mirror_silences",
                                   "headers", "username", "password", "password_env", "password_file", "verify",
                                   "ca_file", "connect_timeout", "timeout"]

    /// `type: alertmanager`: `urls` (every peer of the cluster; `url` for one), `validity` (default three times
    /// `interval`, itself 5m, the evaluation interval of `factorwatch cron`), `generator_url`, `mirror_silences`.
    static func alertmanager(_ node: ConfigNode, name: String, _ decoder: NodeDecoder) -> (any Channel)? {
        guard let f = decoder.fields(node, what: "channel \(name)", allowed: alertmanagerKeys) else { return nil }
        return alertmanager(f, name: name, decoder)
    }

    static func alertmanager(_ f: Fields, name: String, _ decoder: NodeDecoder) -> (any Channel)? {
        let problems = decoder.problems
        var urls: [String] = []
        var urlNodes: [ConfigNode] = []
        for key in ["url", "urls"] {
            guard let node = f[key] else { continue }
            urls += decoder.strings(node, what: key) ?? []
            urlNodes += decoder.list(node, what: key) ?? []
        }
        guard !urls.isEmpty else {
            problems.error(f.node.location, "channel \(name) needs \"urls\": every Alertmanager peer, "
                           + "such as [http://am1:9093, http://am2:9093]")
            return nil
        }
        for (url, node) in zip(urls, urlNodes) where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            problems.error(node.location, "channel \(name): url must start with http:// or https://, not \"\(url)\"")
        }
        let interval = f["interval"].flatMap { decoder.duration($0, what: "interval") }
            ?? AlertmanagerSettings.defaultInterval
        var settings = AlertmanagerSettings(urls: urls, validity: AlertmanagerSettings.defaultValidity(interval: interval))
        if let node = f["validity"], let validity = decoder.duration(node, what: "validity") {
            if validity > interval { settings.validity = validity } else {
                problems.error(node.location, "channel \(name): validity must be longer than the evaluation interval "
                               + "(\(Int(interval))s), or Alertmanager resolves firing alerts between evaluations")
            }
        }
        settings.generatorURL = f["generator_url"].flatMap { decoder.string($0, what: "generator_url") }
        settings.mirrorSilences = f["mirror_silences"].flatMap { decoder.bool($0, what: "mirror_silences") } ?? false
        if let node = f["headers"], let entries = decoder.entries(node, what: "headers") {
            for entry in entries { settings.headers[entry.key] = decoder.string(entry.value, what: "header \(entry.key)") }
        }
        settings.username = f["username"].flatMap { decoder.string($0, what: "username") }
        settings.password = secret(f, "password", channel: name, decoder)
        let common = transport(f, name: name, decoder)
        settings.verify = common.verify
        settings.caFile = common.caFile
        settings.connectTimeout = common.connectTimeout ?? settings.connectTimeout
        settings.timeout = common.timeout ?? settings.timeout
        return AlertmanagerChannel(name: name, settings: settings)
    }

    /// A webhook file with `preset: alertmanager` (the old way) works as an Alertmanager channel, with a warning.
    static func alertmanagerPreset(_ f: Fields, name: String, presetNode: ConfigNode, _ decoder: NodeDecoder)
        -> (any Channel)? {
        let unused = f.entries.map(\.key).filter { !alertmanagerKeys.contains($0) && $0 != "preset" }
        decoder.problems.warning(presetNode.location, "channel \(name): the alertmanager webhook preset is now "
            + "\"type: alertmanager\" (it re-sends firing alerts every evaluation, so Alertmanager never resolves "
            + "them early); this file is read that way"
            + (unused.isEmpty ? "" : ", ignoring " + unused.joined(separator: ", ")))
        return alertmanager(f, name: name, decoder)
    }
}
