/// What a Prometheus rule file may say that factorwatch reads its own way, or refuses rather than ignores.
enum PrometheusRuleCompatibility {
    /// `severity:` or, as Prometheus users write it, `labels.severity` (taken out of the labels: it is the alert's
    /// severity, sent to Alertmanager as the `severity` label anyway). Both given, they must agree.
    static func severity(_ f: Fields, labels: inout Labels, what: String, _ decoder: NodeDecoder) -> Severity? {
        let problems = decoder.problems
        let fromLabels = labels["severity"]
        labels = labels.removing(["severity"])
        var text = fromLabels
        var location = f["labels"]?.location ?? f.node.location
        if let node = f["severity"], let own = decoder.string(node, what: "severity") {
            if let fromLabels, fromLabels.lowercased() != own.lowercased() {
                problems.error(node.location, "\(what): severity \"\(own)\" and labels.severity \"\(fromLabels)\" "
                               + "disagree; give one")
                return nil
            }
            text = own
            location = node.location
        } else if f["severity"] != nil {
            return nil
        }
        guard let text else {
            problems.error(f.node.location, "\(what) needs \"severity\" (or labels.severity): one of "
                           + Severity.names.joined(separator: ", "))
            return nil
        }
        guard let value = Severity(rawValue: text.lowercased()) else {
            problems.error(location, "\(what): unknown severity \"\(text)\"; " + suggestion(for: text, in: Severity.names))
            return nil
        }
        return value
    }

    /// A rule's `for` or `keep_firing_for`: a duration with a unit. A bare number is refused, as Prometheus
    /// refuses it (`0` alone is allowed, as there).
    static func duration(_ node: ConfigNode?, what: String, _ decoder: NodeDecoder) -> Double? {
        guard let node else { return nil }
        if case .scalar(let text, _) = node.value, text != "0", Double(text.trimmed()) != nil {
            decoder.problems.error(node.location, "\(what) needs a unit, such as \(text)s or 5m: a bare number "
                                   + "is not a duration (Prometheus refuses it too)")
            return nil
        }
        return decoder.duration(node, what: what)
    }

    /// `interval` and `limit` of a group are refused: every rule is evaluated at each `eval`, whose schedule is
    /// the crontab's.
    static func rejectGroupKeys(_ g: Fields, _ problems: ProblemList) {
        if let node = g["interval"] {
            problems.error(node.location, "a group's interval is not supported: every rule is evaluated at each "
                           + "eval run; set how often with the crontab (factorwatch cron --every MINUTES)")
        }
        if let node = g["limit"] {
            problems.error(node.location, "a group's limit is not supported")
        }
    }
}
