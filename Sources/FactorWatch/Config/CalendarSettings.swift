/// `calendar:` of factorwatch.yaml as written: `weekdays`, a CSV path, or a mapping with the file, the exchange and
/// where `factorwatch calendar update` fetches it from.
public struct CalendarSettings: Sendable, Equatable {
    /// The CSV file (absolute); nil for `weekdays`.
    public var file: String?
    public var exchange: String?
    /// Where `calendar update` fetches the file; nil when it is maintained by hand.
    public var tushare: TushareSettings?

    public init(file: String? = nil, exchange: String? = nil, tushare: TushareSettings? = nil) {
        self.file = file
        self.exchange = exchange
        self.tushare = tushare
    }

    static let keys = ["file", "exchange", "tushare"]

    /// Decodes the node; nil (with problems recorded) when it is malformed.
    static func decode(_ node: ConfigNode, _ decoder: NodeDecoder) -> CalendarSettings? {
        var pathNode = node
        var settings = CalendarSettings()
        if case .mapping = node.value {
            guard let f = decoder.fields(node, what: "calendar", allowed: keys),
                  let file = f.required("file", decoder.problems) else { return nil }
            pathNode = file
            settings.exchange = f["exchange"].flatMap { decoder.string($0, what: "exchange") }
            if let tushareNode = f["tushare"] {
                guard let tushare = TushareSettings.decode(tushareNode, decoder) else { return nil }
                settings.tushare = tushare
            }
        }
        guard let text = decoder.string(pathNode, what: "calendar") else { return nil }
        if text == "weekdays" {
            if settings.tushare != nil {
                decoder.problems.error(pathNode.location, "calendar: tushare needs a file to write, not weekdays")
                return nil
            }
            return settings
        }
        settings.file = resolvePath(text, relativeTo: decoder.directory)
        return settings
    }

    /// Reads only `calendar:` and `timezone:` of a configuration, for `calendar update`, which must work before the
    /// calendar file exists (when the full configuration cannot load yet). The zone decides what "today" is.
    public static func read(configPath: String, environment: [String: String])
        throws(ConfigurationError) -> (settings: CalendarSettings, zone: TimeZoneRules) {
        let file = ConfigLoader.mainFile(for: configPath)
        let problems = ProblemList()
        let decoder = NodeDecoder(problems: problems, environment: environment,
                                  directory: ConfigLoader.parentDirectory(of: file))
        guard let root = readYAML(file, problems: problems),
              let fields = decoder.fields(root, what: "factorwatch.yaml", allowed: ConfigLoader.mainKeys) else {
            throw ConfigurationError(problems.items)
        }
        let settings = fields["calendar"].flatMap { decode($0, decoder) } ?? CalendarSettings()
        let zone = ConfigLoader.decodeZone(fields["timezone"], decoder)
        if !problems.errors.isEmpty { throw ConfigurationError(problems.errors) }
        return (settings, zone)
    }
}

/// `calendar.tushare:` — the HTTP API and the token (`token_file:` or `token_env:`, default `TUSHARE_TOKEN`).
public struct TushareSettings: Sendable, Equatable {
    public static let defaultURL = "http://api.tushare.pro"
    public static let defaultTokenVariable = "TUSHARE_TOKEN"

    public var url = TushareSettings.defaultURL
    public var tokenFile: String?
    public var tokenVariable = TushareSettings.defaultTokenVariable
    public var timeout: Double = 30

    public init(url: String = TushareSettings.defaultURL, tokenFile: String? = nil,
                tokenVariable: String = TushareSettings.defaultTokenVariable, timeout: Double = 30) {
        self.url = url
        self.tokenFile = tokenFile
        self.tokenVariable = tokenVariable
        self.timeout = timeout
    }

    static func decode(_ node: ConfigNode, _ decoder: NodeDecoder) -> TushareSettings? {
        if case .null = node.value { return TushareSettings() }
        guard let f = decoder.fields(node, what: "calendar.tushare",
                                     allowed: ["url", "token_file", "token_env", "token", "timeout"]) else { return nil }
        if let tokenNode = f["token"] {
            decoder.problems.error(tokenNode.location, "calendar.tushare: do not write the token in the file; "
                                   + "use token_file: PATH or token_env: VARIABLE")
            return nil
        }
        var settings = TushareSettings()
        if let node = f["url"], let url = decoder.string(node, what: "url") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                decoder.problems.error(node.location, "calendar.tushare.url must start with http:// or https://")
                return nil
            }
            settings.url = url
        }
        settings.tokenFile = f["token_file"].flatMap { decoder.path($0, what: "token_file") }
        if let node = f["token_env"], let name = decoder.string(node, what: "token_env") { settings.tokenVariable = name }
        if let node = f["timeout"], let seconds = decoder.duration(node, what: "timeout") { settings.timeout = seconds }
        return settings
    }

    /// The token: the file's first line, else the environment variable. Never printed.
    public func token(environment: [String: String]) throws(CalendarUpdateError) -> Secret {
        if let tokenFile {
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.contents(tokenFile)
            } catch {
                throw CalendarUpdateError("cannot read the Tushare token file \(tokenFile): \(error.reason)")
            }
            let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first?.trimmed()
            guard let text, !text.isEmpty else { throw CalendarUpdateError("the Tushare token file \(tokenFile) is empty") }
            return Secret(text)
        }
        guard let value = environment[tokenVariable]?.trimmed(), !value.isEmpty else {
            throw CalendarUpdateError("no Tushare token: set calendar.tushare.token_file or the environment "
                                      + "variable \(tokenVariable)")
        }
        return Secret(value)
    }
}
