#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes a rule test file strictly, with the same `file:line:column` problems as the configuration: unknown
/// keys, bad times, unparsable observations and rule files that do not decode all make the file malformed.
public enum RuleTestDecoder {
    static let fileKeys = ["rule_files", "timezone", "calendar", "routes", "channels", "data", "collectors", "cases"]
    static let caseKeys = ["name", "data", "collectors", "silences", "steps", "history"]
    static let stepKeys = ["at", "observations", "errors", "expect", "ack"]
    static let ackKeys = ["alert", "match", "until", "comment", "by"]
    static let expectationKeys = ["alert", "state", "severity", "labels", "value", "summary", "notify",
                                  "suppressed_by"]
    static let observationKeys = ["metric", "labels", "value"]
    static let silenceKeys = ["rule", "matchers", "from", "until", "comment"]

    /// `base`: the routes and channel names a test starts from (a configuration's); nil for the built-in ones.
    /// The file's `routes:` overrides them per severity, or `routes: builtin` picks the built-in ones.
    public static func load(file: String, environment: [String: String] = [:], base: RuleTestRoutes? = nil)
        throws(ConfigurationError) -> RuleTestSuite {
        let problems = ProblemList()
        let directory = ConfigLoader.parentDirectory(of: file)
        let decoder = NodeDecoder(problems: problems, environment: environment, directory: directory)
        guard let root = readYAML(file, problems: problems) else { throw ConfigurationError(problems.errors) }
        if PromtoolTestDecoder.isPromtoolFormat(root) {
            let suite = PromtoolTestDecoder.decode(root, file: file, decoder: decoder, base: base ?? .builtin,
                                                   environment: environment)
            guard let suite, problems.errors.isEmpty else { throw ConfigurationError(problems.errors) }
            return suite
        }
        guard let fields = decoder.fields(root, what: "rule test file", allowed: fileKeys) else {
            throw ConfigurationError(problems.errors)
        }

        var zone = (try? TimeZoneRules(identifier: "Asia/Shanghai")) ?? .utc
        if let node = fields["timezone"], let name = decoder.string(node, what: "timezone") {
            do { zone = try TimeZoneRules(identifier: name) } catch { problems.error(node.location, "\(error)") }
        }
        var calendar = TradingCalendar.weekdays
        if let node = fields["calendar"], let text = decoder.string(node, what: "calendar"), text != "weekdays" {
            do {
                calendar = try TradingCalendar.load(csvPath: resolvePath(text, relativeTo: directory))
            } catch {
                problems.error(node.location, "calendar: \(error)")
            }
        }

        let builtin = fields["routes"].map { node in
            if case .scalar("builtin", _) = node.value { return true } else { return false }
        } ?? false
        let start = builtin ? RuleTestRoutes.builtin : base ?? RuleTestRoutes.builtin
        var channels = start.channels
        if let node = fields["channels"], let names = decoder.strings(node, what: "channels") { channels = names }
        var routes = start.routes
        var labelRoutes = start.labelRoutes
        if let node = fields["routes"], !builtin {
            routes = ConfigLoader.decodeRoutes(node, decoder, channels: channels, base: routes)
            let own = ConfigLoader.decodeLabelRoutes(node, decoder, channels: channels)
            if !own.isEmpty { labelRoutes = own }
        }

        let rules = decodeRules(fields.required("rule_files", problems), decoder, environment: environment)
        checkRuleChannels(rules, channels: channels, problems: problems)

        var cases: [RuleTestCase] = []
        if let node = fields.required("cases", problems), let items = decoder.list(node, what: "cases") {
            let context = CaseContext(decoder: decoder, zone: zone, data: fields["data"],
                                      collectors: fields["collectors"], rules: Set(rules.map(\.name)),
                                      channels: channels)
            for (index, item) in items.enumerated() {
                if let decoded = context.decodeCase(item, number: index + 1) { cases.append(decoded) }
            }
            if items.isEmpty { problems.error(node.location, "cases is empty; a test file needs at least one case") }
        }
        if !problems.errors.isEmpty { throw ConfigurationError(problems.errors) }
        var suite = RuleTestSuite(file: file, rules: rules, zone: zone, calendar: calendar, routes: routes,
                                  channels: channels, cases: cases)
        suite.inhibitRules = ruleFileInhibitRules(fields["rule_files"], decoder)
        suite.labelRoutes = labelRoutes
        return suite
    }

    static func decodeRules(_ node: ConfigNode?, _ decoder: NodeDecoder, environment: [String: String])
        -> [Rule] {
        guard let node, let items = decoder.list(node, what: "rule_files") else { return [] }
        var rules: [Rule] = []
        var seen: [String: SourceLocation] = [:]
        for item in items {
            guard let pattern = decoder.path(item, what: "rule_files") else { continue }
            let files = ConfigLoader.expandFiles(pattern)
            if files.isEmpty { decoder.problems.error(item.location, "no rule file matches \(pattern)") }
            for file in files {
                for rule in RuleFileDecoder.decode(file: file, problems: decoder.problems, environment: environment) {
                    if let first = seen[rule.name] {
                        decoder.problems.error(rule.location ?? item.location,
                                               "duplicate rule name \"\(rule.name)\" (first defined at \(first))")
                        continue
                    }
                    seen[rule.name] = rule.location ?? item.location
                    rules.append(rule)
                }
            }
        }
        return rules
    }

    private static func ruleFileInhibitRules(_ node: ConfigNode?, _ decoder: NodeDecoder) -> [InhibitRule] {
        guard let node, let items = decoder.list(node, what: "rule_files") else { return [] }
        return items.compactMap { decoder.path($0, what: "rule_files") }.flatMap(ConfigLoader.expandFiles).flatMap {
            ConfigLoader.inhibitRules(inRuleFile: $0, problems: decoder.problems, environment: decoder.environment)
        }
    }

    private static func checkRuleChannels(_ rules: [Rule], channels: [String], problems: ProblemList) {
        for rule in rules {
            for name in rule.channels ?? [] where !channels.contains(name) {
                problems.error(rule.location ?? SourceLocation(file: "?", line: 0, column: 0),
                               "rule \"\(rule.name)\" names channel \"\(name)\", which this test does not define; "
                               + "add it to channels: (\(channels.joined(separator: ", ")))")
            }
        }
    }
}
