/// One entry of `routes: by_label:` — alerts whose labels (with `alertname` and `severity`) match go to its
/// channels. Entries are tried in order; the first that matches decides, unless it says `continue: true`, when
/// the next ones are tried too. An alert no entry matches takes its severity's route.
public struct LabelRoute: Sendable, Equatable {
    public var matchers: [SilenceMatcher]
    public var channels: [String]
    /// Nil: the repeat of the alert's severity route.
    public var repeatInterval: Double?
    /// Nil: the escalation of the alert's severity route.
    public var escalation: [EscalationLevel]?
    public var continues: Bool
    public var location: SourceLocation?

    public init(matchers: [SilenceMatcher], channels: [String], repeatInterval: Double? = nil,
                escalation: [EscalationLevel]? = nil, continues: Bool = false, location: SourceLocation? = nil) {
        self.matchers = matchers
        self.channels = channels
        self.repeatInterval = repeatInterval
        self.escalation = escalation
        self.continues = continues
        self.location = location
    }

    public func matches(rule: String, severity: Severity, labels: Labels) -> Bool {
        let all = labels.setting("alertname", rule).setting("severity", severity.rawValue)
        return matchers.allSatisfy { $0.matches(all) }
    }

    /// `{team="data", alertname=~"Disk.*"}`, as `check` shows it.
    public var description: String { "{" + matchers.map(\.description).joined(separator: ", ") + "}" }
}

extension Configuration {
    /// The routes an alert of `rule` with `labels` at `severity` takes: the rule's own channels, else the label
    /// routes that match (the first, and more while they say `continue`), else its severity's route. Each route
    /// carries its repeat (the rule's `repeat` wins) and escalation.
    public func routes(for rule: Rule, labels: Labels, severity: Severity) -> [Route] {
        var base = route(for: severity)
        if let interval = rule.repeatInterval { base.repeatInterval = interval }
        if let own = rule.channels {
            base.channels = own
            return [base]
        }
        var matched: [Route] = []
        for entry in labelRoutes where entry.matches(rule: rule.name, severity: severity, labels: labels) {
            var route = Route(channels: entry.channels,
                              repeatInterval: rule.repeatInterval ?? entry.repeatInterval ?? base.repeatInterval)
            route.escalation = entry.escalation ?? base.escalation
            matched.append(route)
            if !entry.continues { break }
        }
        return matched.isEmpty ? [base] : matched
    }
}

extension Configuration {
    /// Where the alerts of `rule` go, in words, as `check` shows it: the label routes that match for every series
    /// (or only for some, naming the labels that decide), then the severity route they fall back to.
    public func routing(of rule: Rule) -> [String] {
        let severity = rule.severity
        if let own = rule.channels { return ["the rule's own channels: " + own.joined(separator: ", ")] }
        let known = rule.labels.setting("alertname", rule.name).setting("severity", severity.rawValue)
        var lines: [String] = []
        var matched = false
        for (index, entry) in labelRoutes.enumerated() {
            let decided = entry.matchers.filter { known[$0.name] != nil }
            guard decided.allSatisfy({ $0.matches(known) }) else { continue }
            let open = entry.matchers.filter { known[$0.name] == nil }
            let target = entry.channels.joined(separator: ", ") + escalationText(entry.escalation ?? [])
            let name = "by_label \(index + 1) → \(target)" + (entry.continues ? " (continue)" : "")
            if open.isEmpty {
                lines.append(name)
                matched = true
                if !entry.continues { return lines }
            } else {
                lines.append("if " + open.map(\.description).joined(separator: ", ") + ": \(name)")
            }
        }
        // A certain match, even one that continues, means the severity route is never taken.
        if matched { return lines }
        let fallback = route(for: severity)
        lines.append((lines.isEmpty ? "" : "if no label route matched: ") + "\(severity.rawValue) route → "
            + (fallback.channels.isEmpty ? "no channel"
            : fallback.channels.joined(separator: ", ")) + escalationText(fallback.escalation))
        return lines
    }

    private func escalationText(_ levels: [EscalationLevel]) -> String {
        levels.isEmpty ? "" : "; escalates to " + levels.map {
            "\($0.channels.joined(separator: ", ")) after \(formatDuration(seconds: $0.after))"
        }.joined(separator: ", then ")
    }
}
