/// The on-call keys of factorwatch.yaml and rule files: `inhibit:` and a route's `escalate:`.
extension ConfigLoader {
    /// The `inhibit:` list of a rule file (where the shipped defaults live), if it has one.
    static func inhibitRules(inRuleFile file: String, problems: ProblemList, environment: [String: String])
        -> [InhibitRule] {
        // The file's own problems are reported by the rule decoder; read it quietly here.
        guard let root = readYAML(file, problems: ProblemList()) else { return [] }
        let decoder = NodeDecoder(problems: problems, environment: environment, directory: parentDirectory(of: file))
        return inhibitRules(inRuleFileRoot: root, decoder)
    }

    /// The `inhibit:` entries of a rule file already read.
    static func inhibitRules(inRuleFileRoot root: ConfigNode, _ decoder: NodeDecoder) -> [InhibitRule] {
        guard case .mapping(let entries) = root.value,
              let node = entries.first(where: { $0.key == "inhibit" })?.value else { return [] }
        return decodeInhibitRules(node, decoder)
    }

    /// `inhibit: [{source: {alertname: FactorDataStale}, target: {alertname: "Factor.*"}, equal: [dir]}]`.
    static func decodeInhibitRules(_ node: ConfigNode, _ decoder: NodeDecoder) -> [InhibitRule] {
        guard let items = decoder.list(node, what: "inhibit") else { return [] }
        return items.enumerated().compactMap { index, item in
            let what = "inhibit rule \(index + 1)"
            guard let f = decoder.fields(item, what: what, allowed: ["source", "target", "equal"]) else { return nil }
            let source = f.required("source", decoder.problems).map { decodeMatchers($0, decoder, what: what + " source") }
            let target = f.required("target", decoder.problems).map { decodeMatchers($0, decoder, what: what + " target") }
            let equal = f["equal"].flatMap { decoder.strings($0, what: "equal") } ?? []
            guard let source, let target else { return nil }
            let written = ["source", "target"].map { key -> Int in
                if case .mapping(let entries)? = f[key]?.value { return entries.count } else { return 0 }
            }
            if written.contains(0) {
                decoder.problems.error(item.location, "\(what): source and target each need at least one label "
                                       + "matcher (alertname: NAME); an empty one would match every alert")
                return nil
            }
            // A matcher that did not decode was reported; the rule is left out rather than widened.
            guard source.count == written[0], target.count == written[1] else { return nil }
            return InhibitRule(source: source, target: target, equal: equal, location: item.location)
        }
    }

    /// `{label: value, …}` where a value is a whole-match regular expression or starts with `=`, `!=`, `=~`, `!~`.
    static func decodeMatchers(_ node: ConfigNode, _ decoder: NodeDecoder, what: String) -> [SilenceMatcher] {
        guard let entries = decoder.entries(node, what: what) else { return [] }
        return entries.compactMap { entry in
            guard let value = decoder.string(entry.value, what: "\(what) \(entry.key)") else { return nil }
            guard let matcher = SilenceMatcher(name: entry.key, configured: value) else {
                decoder.problems.error(entry.value.location, "\(what): \(entry.key): \"\(value)\" is not a valid "
                                       + "regular expression (or =value, !=value, =~regex, !~regex)")
                return nil
            }
            return matcher
        }
    }

    static let labelRoutesKey = "by_label"

    /// `routes: { by_label: [{match: {team: data}, channels: [data_email], repeat: 4h, continue: true}, …] }`.
    static func decodeLabelRoutes(_ routes: ConfigNode, _ decoder: NodeDecoder, channels: [String]) -> [LabelRoute] {
        guard case .mapping(let entries) = routes.value,
              let node = entries.first(where: { $0.key == labelRoutesKey })?.value,
              let items = decoder.list(node, what: "routes.by_label") else { return [] }
        return items.enumerated().compactMap { index, item in
            let what = "label route \(index + 1)"
            guard let f = decoder.fields(item, what: what, allowed: ["match", "channels", "repeat", "escalate",
                                                                     "continue"]),
                  let matchNode = f.required("match", decoder.problems),
                  let list = f.required("channels", decoder.problems).flatMap({ decoder.list($0, what: "channels") })
            else { return nil }
            let matchers = decodeMatchers(matchNode, decoder, what: what + " match")
            var route = LabelRoute(matchers: matchers, channels: [], location: item.location)
            route.channels = channelNames(list, decoder, what: what, channels: channels)
            route.repeatInterval = f["repeat"].flatMap { decoder.duration($0, what: "repeat") }
            route.escalation = f["escalate"].map { decodeEscalation($0, decoder, route: "by_label \(index + 1)",
                                                                    channels: channels) }
            route.continues = f["continue"].flatMap { decoder.bool($0, what: "continue") } ?? false
            return route
        }
    }

    /// `escalate: [{after: 1h, channels: [sms]}, {after: 4h, channels: [sms_cto]}]`, later levels after earlier.
    static func decodeEscalation(_ node: ConfigNode, _ decoder: NodeDecoder, route: String, channels: [String])
        -> [EscalationLevel] {
        guard let items = decoder.list(node, what: "escalate") else { return [] }
        var levels: [EscalationLevel] = []
        for (index, item) in items.enumerated() {
            let what = "route \(route) escalation level \(index + 1)"
            guard let f = decoder.fields(item, what: what, allowed: ["after", "channels"]),
                  let afterNode = f.required("after", decoder.problems),
                  let after = decoder.duration(afterNode, what: "after"),
                  let list = f.required("channels", decoder.problems).flatMap({ decoder.list($0, what: "channels") })
            else { continue }
            if let previous = levels.last, after <= previous.after {
                decoder.problems.error(afterNode.location, "\(what): after must be later than the level before it "
                                       + "(\(formatDuration(seconds: previous.after)))")
            } else if after <= 0 {
                decoder.problems.error(afterNode.location, "\(what): after must be more than 0; the route's own "
                                       + "channels are told at once")
            }
            let names = channelNames(list, decoder, what: what, channels: channels)
            if names.isEmpty { decoder.problems.error(item.location, "\(what) names no channel") }
            levels.append(EscalationLevel(after: after, channels: names))
        }
        return levels
    }

    /// `deliver: at 08:30` or `quiet: 22:00-07:00`, optionally `trading_days: true`; nil when none is given.
    static func decodeSchedule(_ f: Fields, _ decoder: NodeDecoder, severity: Severity) -> DeliverySchedule? {
        let given = ["deliver", "quiet", "trading_days"].compactMap { f[$0] }
        guard let first = given.first else { return nil }
        if severity == .critical {
            decoder.problems.error(first.location, "route critical cannot be held: critical alerts are always sent "
                                   + "at once (deliver, quiet and trading_days are for high, medium and low)")
            return nil
        }
        var schedule = DeliverySchedule()
        if let node = f["deliver"], let text = decoder.string(node, what: "deliver") {
            let words = text.split(separator: " ")
            if words.count == 2, words[0] == "at", let time = ClockTime(words[1]) {
                schedule.at = time
            } else {
                decoder.problems.error(node.location, "deliver: \"\(text)\" is not \"at HH:MM\" (e.g. at 08:30)")
            }
        }
        if let node = f["quiet"], let text = decoder.string(node, what: "quiet") {
            let ends = text.split(separator: "-")
            if ends.count == 2, let from = ClockTime(ends[0]), let until = ClockTime(ends[1]), from != until {
                (schedule.quietFrom, schedule.quietUntil) = (from, until)
            } else {
                decoder.problems.error(node.location, "quiet: \"\(text)\" is not two different times HH:MM-HH:MM "
                                       + "(e.g. 22:00-07:00)")
            }
            if let deliver = f["deliver"] {
                decoder.problems.error(deliver.location, "give deliver or quiet, not both: a route delivered once a "
                                       + "day has no quiet hours")
            }
        }
        schedule.tradingDaysOnly = f["trading_days"].flatMap { decoder.bool($0, what: "trading_days") } ?? false
        return schedule
    }

    /// The channel names of a `channels:` list, each unknown one reported where it is written.
    static func channelNames(_ list: [ConfigNode], _ decoder: NodeDecoder, what: String, channels: [String])
        -> [String] {
        list.compactMap { item in
            guard let name = decoder.string(item, what: "channel") else { return nil }
            if !channels.contains(name) {
                decoder.problems.error(item.location, "\(what) names unknown channel \"\(name)\"; "
                                       + channelHint(name, channels))
            }
            return name
        }
    }
}
