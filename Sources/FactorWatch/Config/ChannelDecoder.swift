/// Decodes one `channels/NAME.yaml` into a channel named NAME.
enum ChannelDecoder {
    static let types = ["smtp", "webhook", "log", "alertmanager"]

    static func decode(file: String, zone: TimeZoneRules, problems: ProblemList,
                       environment: [String: String]) -> (any Channel)? {
        guard let root = readYAML(file, problems: problems) else { return nil }
        let decoder = NodeDecoder(problems: problems, environment: environment,
                                  directory: ConfigLoader.parentDirectory(of: file))
        let name = channelName(file)
        guard case .mapping(let entries) = root.value else {
            problems.error(root.location, "a channel file must be a mapping with a \"type\"")
            return nil
        }
        guard let typeEntry = entries.first(where: { $0.key == "type" }),
              let type = decoder.string(typeEntry.value, what: "type") else {
            problems.error(root.location, "channel \(name) needs \"type\": one of \(types.joined(separator: ", "))")
            return nil
        }
        switch type {
        case "log": return log(root, name: name, zone: zone, decoder)
        case "smtp": return smtp(root, name: name, zone: zone, decoder)
        case "webhook": return webhook(root, name: name, zone: zone, decoder)
        case "alertmanager": return alertmanager(root, name: name, decoder)
        default:
            problems.error(typeEntry.value.location, "unknown channel type \"\(type)\"; \(suggestion(for: type, in: types))")
            return nil
        }
    }

    static func channelName(_ file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        if let dot = base.lastIndex(of: ".") { return String(base[..<dot]) }
        return base
    }

    private static func log(_ node: ConfigNode, name: String, zone: TimeZoneRules, _ decoder: NodeDecoder)
        -> (any Channel)? {
        guard let f = decoder.fields(node, what: "channel \(name)", allowed: ["type", "path", "format"]),
              let pathNode = f.required("path", decoder.problems),
              let path = decoder.path(pathNode, what: "path") else { return nil }
        var format = LogChannel.Format.text
        if let formatNode = f["format"], let text = decoder.string(formatNode, what: "format") {
            guard let value = LogChannel.Format(rawValue: text) else {
                decoder.problems.error(formatNode.location, "unknown log format \"\(text)\"; "
                                       + suggestion(for: text, in: LogChannel.Format.allCases.map(\.rawValue)))
                return nil
            }
            format = value
        }
        return LogChannel(name: name, path: path, format: format, zone: zone)
    }
}
