#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A configuration that decoded, and the warnings `check` shows for it.
public struct LoadedConfiguration: Sendable {
    public var configuration: Configuration
    public var warnings: [ConfigProblem]
}

/// Reads `factorwatch.yaml`, the rule files and the channel files it names, and validates them together.
/// Nothing is collected, stored or sent: a configuration with any error yields `ConfigurationError` with every
/// problem found.
public enum ConfigLoader {
    static let mainKeys = ["timezone", "state", "calendar", "host", "rules", "channels", "collectors", "routes",
                           "delivery", "lock_timeout", "maintenance", "textfile", "heartbeat", "inhibit",
                           "collector_timeout", "history_retention"]

    /// With `cache`, the parsed rule files are reused from, and kept in, `STATE.rules-cache` (`ParsedFileCache`).
    public static func load(path: String, environment: [String: String], cache: RuleFileCaching = .off)
        throws(ConfigurationError) -> LoadedConfiguration {
        let file = mainFile(for: path)
        let problems = ProblemList()
        let directory = parentDirectory(of: file)
        let decoder = NodeDecoder(problems: problems, environment: environment, directory: directory)
        guard let root = readYAML(file, problems: problems) else { throw ConfigurationError(problems.items) }
        if case .null = root.value {
            problems.error(root.location, "the configuration is empty: it monitors nothing (no collectors, no "
                           + "routes); see the README's \"Configuration\" for a starting point")
            throw ConfigurationError(problems.items)
        }
        guard let fields = decoder.fields(root, what: "factorwatch.yaml", allowed: mainKeys) else {
            throw ConfigurationError(problems.items)
        }

        let zone = decodeZone(fields["timezone"], decoder)

        var calendar = TradingCalendar.weekdays
        if let node = fields["calendar"] { calendar = decodeCalendar(node, decoder) ?? .weekdays }
        warnAboutWeekdays(calendar, zone: zone, at: fields["calendar"]?.location ?? root.location, problems: problems)

        let statePath = fields["state"].flatMap { decoder.path($0, what: "state") }
            ?? "/var/lib/factorwatch/factorwatch.db"
        if (try? FileSystem.status(statePath))?.kind == .directory {
            problems.error(fields["state"]?.location ?? root.location, "state: \(statePath) is a directory; name the "
                           + "database file in it, e.g. state: \(statePath)/factorwatch.db")
        }
        let host = fields["host"].flatMap { decoder.string($0, what: "host") } ?? JobRunner.hostName()
        let lockTimeout = fields["lock_timeout"].flatMap { decoder.duration($0, what: "lock_timeout") } ?? 120

        let delivery = decodeDelivery(fields["delivery"], decoder)

        var collectorDecoder = CollectorDecoder(decoder: decoder, zone: zone, statePath: statePath, host: host)
        let collectors = fields["collectors"].map { collectorDecoder.decode($0) } ?? []

        let ruleCache = cache == .off ? nil : ParsedFileCache(statePath: statePath)
        let (rules, inhibitRules) = loadRules(fields, root: root, directory: directory, decoder: decoder,
                                              environment: environment, cache: ruleCache)

        // Channel files: one per file, named by its stem.
        let channelPattern = fields["channels"].flatMap { decoder.path($0, what: "channels") }
            .map { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") ? $0 : $0 + "/*.yaml" }
            ?? directory + "/channels/*.yaml"
        let channels = decodeChannels(channelPattern, zone: zone, problems: problems, environment: environment)

        var routes: [Severity: Route] = [:]
        if let node = fields["routes"] {
            routes = decodeRoutes(node, decoder, channels: channels.keys.sorted())
        }
        let labelRoutes = fields["routes"].map { decodeLabelRoutes($0, decoder, channels: channels.keys.sorted()) }
        checkRuleChannels(rules, channels: Set(channels.keys), problems: problems)
        warnAboutUnproducedMetrics(rules, collectors: collectors, problems: problems)

        var configuration = Configuration(
            file: file, zone: zone, calendar: calendar, statePath: statePath, host: host, collectors: collectors,
            rules: rules, routes: routes, channels: channels, delivery: delivery, lockTimeout: lockTimeout)
        configuration.jobs = collectorDecoder.jobEntries
        decodeSettings(fields, into: &configuration, decoder, environment: environment)
        for rule in rules where configuration.channels(for: rule, severity: rule.severity).isEmpty {
            problems.warning(rule.location ?? root.location,
                             "rule \"\(rule.name)\" notifies no channel (no route for \(rule.severity.rawValue))")
        }
        configuration.labelRoutes = labelRoutes ?? []
        configuration.inhibitRules = inhibitRules + (fields["inhibit"].map { decodeInhibitRules($0, decoder) } ?? [])
        addChannelBrokenAlert(&configuration)
        if !problems.errors.isEmpty { throw ConfigurationError(problems.items.filter { !$0.isWarning }) }
        if cache == .readWrite { ruleCache?.save() }
        return LoadedConfiguration(configuration: configuration, warnings: problems.warnings)
    }

    /// `delivery:`: attempts and backoff of the outbox.
    static func decodeDelivery(_ node: ConfigNode?, _ decoder: NodeDecoder) -> DeliveryPolicy {
        var delivery = DeliveryPolicy()
        guard let node,
              let d = decoder.fields(node, what: "delivery", allowed: ["max_attempts", "backoff", "max_backoff"])
        else { return delivery }
        if let n = d["max_attempts"], let v = decoder.int(n, what: "max_attempts", range: 1...1_000) {
            delivery.maxAttempts = v
        }
        if let n = d["backoff"], let v = decoder.duration(n, what: "backoff") { delivery.initialBackoff = v }
        if let n = d["max_backoff"], let v = decoder.duration(n, what: "max_backoff") { delivery.maxBackoff = v }
        return delivery
    }

    /// The keys that only set one value each: textfile, history retention, the calendar's settings, maintenance
    /// windows, the collector time budget and the heartbeat.
    static func decodeSettings(_ fields: Fields, into configuration: inout Configuration, _ decoder: NodeDecoder,
                               environment: [String: String]) {
        configuration.textfile = fields["textfile"].flatMap { decoder.path($0, what: "textfile") }
        configuration.historyRetention = fields["history_retention"].flatMap {
            decoder.int($0, what: "history_retention (trading days)", range: 1...100_000)
        } ?? HistoryRecorder.defaultRetention
        // Decoded again only for its settings; its problems were reported with the calendar.
        let quiet = NodeDecoder(problems: ProblemList(), environment: environment, directory: decoder.directory)
        configuration.calendarSettings = fields["calendar"].flatMap { CalendarSettings.decode($0, quiet) }
            ?? CalendarSettings()
        if let node = fields["maintenance"] {
            configuration.maintenance = decodeMaintenance(node, decoder, rules: Set(configuration.rules.map(\.name)))
        }
        if let node = fields["collector_timeout"], let value = decoder.duration(node, what: "collector_timeout") {
            configuration.collectorTimeout = value
        }
        if let node = fields["heartbeat"] {
            (configuration.heartbeat, configuration.heartbeatProblems) = decodeHeartbeat(node, decoder)
        }
    }

    /// `--config DIR` means `DIR/factorwatch.yaml`.
    static func mainFile(for path: String) -> String {
        if let status = try? FileSystem.status(path), status.kind == .directory {
            return (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/factorwatch.yaml"
        }
        return path
    }

    static func parentDirectory(of file: String) -> String {
        let absolute = file.hasPrefix("/") ? file : currentDirectory() + "/" + file
        guard let slash = absolute.lastIndex(of: "/") else { return "." }
        return normalizePath(String(absolute[..<slash]))
    }

    static func expandFiles(_ pattern: String) -> [String] {
        Glob(pattern).expand().paths.filter { path in
            (try? FileSystem.status(path).kind) == .regular
        }.sorted()
    }

    private static func decodeCalendar(_ node: ConfigNode, _ decoder: NodeDecoder) -> TradingCalendar? {
        guard let settings = CalendarSettings.decode(node, decoder) else { return nil }
        guard let path = settings.file else { return .weekdays }
        do {
            return try TradingCalendar.load(csvPath: path, exchange: settings.exchange)
        } catch {
            let missing = (try? FileSystem.status(path)) == nil
            decoder.problems.error(node.location, "calendar: \(error)"
                                   + (missing ? "; fetch it with factorwatch calendar update (calendar.tushare)" : ""))
            return nil
        }
    }

    /// `timezone:` of factorwatch.yaml: the exchange's clock, Asia/Shanghai when the key is absent (UTC, with the
    /// problem recorded, when the name is unknown).
    static func decodeZone(_ node: ConfigNode?, _ decoder: NodeDecoder) -> TimeZoneRules {
        guard let node else { return (try? TimeZoneRules(identifier: "Asia/Shanghai")) ?? .utc }
        guard let name = decoder.string(node, what: "timezone") else { return .utc }
        do { return try TimeZoneRules(identifier: name) } catch {
            decoder.problems.error(node.location, "\(error)")
            return .utc
        }
    }

    /// A China A-share configuration counting weekdays as trading days alerts through every exchange holiday.
    static func warnAboutWeekdays(_ calendar: TradingCalendar, zone: TimeZoneRules, at location: SourceLocation,
                                  problems: ProblemList) {
        guard calendar.source == .weekdays, zone.identifier == "Asia/Shanghai" else { return }
        problems.warning(location, "WARNING: calendar: weekdays in Asia/Shanghai counts the Spring Festival and "
                         + "National Day weeks as trading days, so FactorDataStale fires (critical) through every "
                         + "exchange holiday; set calendar: { file: calendar/trade_cal.csv, tushare: { token_file: "
                         + "PATH } } and run factorwatch calendar update")
    }

    /// `routes:` of factorwatch.yaml or of a rule test file. A severity listed overrides its `base` route (or, with
    /// none, starts with no channel and the default repeat); `channels` are the names that exist, in the order
    /// hints list them.
    static func decodeRoutes(_ node: ConfigNode, _ decoder: NodeDecoder, channels: [String],
                             base: [Severity: Route] = [:]) -> [Severity: Route] {
        var routes = base
        guard let entries = decoder.entries(node, what: "routes") else { return routes }
        for entry in entries where entry.key != labelRoutesKey {
            guard let severity = Severity(rawValue: entry.key) else {
                decoder.problems.error(entry.keyLocation, "unknown severity \"\(entry.key)\" in routes; "
                                       + suggestion(for: entry.key, in: Severity.names))
                continue
            }
            guard let f = decoder.fields(entry.value, what: "route \(entry.key)", allowed: ["channels", "repeat", "escalate", "deliver", "quiet", "trading_days"])
            else { continue }
            var route = routes[severity] ?? Route(
                channels: [], repeatInterval: Route.fallback(for: severity, channels: Set(channels)).repeatInterval)
            if let list = f["channels"].flatMap({ decoder.list($0, what: "channels") }) {
                route.channels = channelNames(list, decoder, what: "route \(entry.key)", channels: channels)
            }
            if let node = f["repeat"], let value = decoder.duration(node, what: "repeat") { route.repeatInterval = value }
            if let node = f["escalate"] {
                route.escalation = decodeEscalation(node, decoder, route: entry.key, channels: channels)
            }
            route.schedule = decodeSchedule(f, decoder, severity: severity) ?? route.schedule
            routes[severity] = route
        }
        return routes
    }

    private static func decodeMaintenance(_ node: ConfigNode, _ decoder: NodeDecoder, rules: Set<String>)
        -> [MaintenanceWindow] {
        var windows: [MaintenanceWindow] = []
        for (index, item) in (decoder.list(node, what: "maintenance") ?? []).enumerated() {
            guard let f = decoder.fields(item, what: "maintenance window \(index + 1)",
                                         allowed: ["name", "schedule", "duration", "rule", "match"]),
                  let scheduleNode = f.required("schedule", decoder.problems),
                  let text = decoder.string(scheduleNode, what: "schedule"),
                  let durationNode = f.required("duration", decoder.problems),
                  let duration = decoder.duration(durationNode, what: "duration") else { continue }
            let schedule: CronSchedule
            do {
                schedule = try CronSchedule(text)
            } catch {
                var location = scheduleNode.location
                if case .scalar(_, let quoted) = scheduleNode.value, quoted { location.column += 1 }
                location.column += max(0, error.column - 1)
                decoder.problems.error(location, "schedule: \(error)")
                continue
            }
            let rule = f["rule"].flatMap { decoder.string($0, what: "rule") }
            if let rule, !rules.contains(rule), let ruleNode = f["rule"] {
                decoder.problems.warning(ruleNode.location, "maintenance window names unknown rule \"\(rule)\"")
            }
            var matchers: [SilenceMatcher] = []
            for matchNode in f["match"].flatMap({ decoder.list($0, what: "match") }) ?? [] {
                guard let text = decoder.string(matchNode, what: "match") else { continue }
                if let matcher = SilenceMatcher(parsing: text) { matchers.append(matcher) } else {
                    decoder.problems.error(matchNode.location, "cannot read matcher \"\(text)\"; "
                                           + "use name=value, name!=value, name=~regex or name!~regex")
                }
            }
            let name = f["name"].flatMap { decoder.string($0, what: "name") } ?? text
            windows.append(MaintenanceWindow(name: name, schedule: schedule, duration: duration, rule: rule,
                                             matchers: matchers))
        }
        return windows
    }

    static func channelHint(_ name: String, _ channels: [String]) -> String {
        if channels.isEmpty { return "no channels are defined (add channels/\(name).yaml)" }
        return suggestion(for: name, in: channels)
    }

    private static func checkRuleChannels(_ rules: [Rule], channels: Set<String>, problems: ProblemList) {
        for rule in rules {
            for name in rule.channels ?? [] where !channels.contains(name) {
                problems.error(rule.location ?? SourceLocation(file: "?", line: 0, column: 0),
                               "rule \"\(rule.name)\" names unknown channel \"\(name)\"; \(channelHint(name, channels.sorted()))")
            }
        }
    }

    private static func warnAboutUnproducedMetrics(_ rules: [Rule], collectors: [any Collector],
                                                   problems: ProblemList) {
        var produced: Set<String> = ["collector_up"]
        for collector in collectors { produced.formUnion(collector.metricNames) }
        for rule in rules {
            for metric in rule.expression.selectedMetrics.sorted() where !produced.contains(metric) {
                problems.warning(rule.location ?? SourceLocation(file: "?", line: 0, column: 0),
                                 "rule \"\(rule.name)\" selects \(metric), which no configured collector produces")
            }
        }
    }
}

func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4_096)
    guard getcwd(&buffer, 4_096) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
