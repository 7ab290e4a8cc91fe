/// The text form of an evaluation, for a person at a terminal or reading cron mail.
extension EvaluationReport {
    public func text() -> String {
        var out: [String] = []
        let firing = alerts.filter { $0.state == .firing }
        let pending = alerts.filter { $0.state == .pending }
        let resolved = alerts.filter { $0.state == .resolved }
        out.append("factorwatch eval at \(Timestamp.format(evaluatedAt, in: zone))\(dryRun ? " (dry run)" : ""): "
                   + "\(observations.count) observations, \(firing.count) firing, \(pending.count) pending, "
                   + "\(resolved.count) resolved")
        for error in errors {
            out.append("collector \(error.collector) failed: \(error.message)")
        }
        for error in ruleErrors {
            out.append("rule \(error.rule) failed, its alerts keep their state: \(error.message)")
        }
        for silence in unmatchedSilences {
            out.append("silence #\(silence.id) ended at \(Timestamp.format(silence.endsAt, in: zone)) without ever "
                       + "matching an alert (\(silence.comment)); check its rule and matchers: factorwatch silence list --all")
        }
        if undelivered > 0 {
            out.append("\(undelivered) notifications undelivered (queued, or dead in the last day); "
                       + "factorwatch alerts lists them")
        }
        if !alerts.isEmpty { out.append("") }
        // A rule with thousands of alerts is summarised after its first few: the mail cron sends stays readable.
        let perRule = Dictionary(grouping: alerts, by: \.rule)
        var shown: [String: Int] = [:]
        for alert in alerts {
            let all = perRule[alert.rule]!
            let count = shown[alert.rule, default: 0]
            shown[alert.rule] = count + 1
            if all.count > Self.shownPerRule && count >= Self.shownPerRule / 2 {
                if count == Self.shownPerRule / 2 { out.append(Self.summary(of: all, after: count)) }
                continue
            }
            let state = alert.state.rawValue.uppercased()
            var line = "\(state) \(alert.severity.rawValue) \(alert.rule)\(alert.labels.isEmpty ? "" : alert.labels.description)"
                + " = \(formatValue(alert.value))"
            if !alert.summary.isEmpty { line += " — \(alert.summary)" }
            out.append(line)
            let channels = alert.channels.isEmpty ? "no channel" : alert.channels.joined(separator: ", ")
            let what: String
            if alert.notify {
                what = "\(dryRun ? "would notify" : "notified") \(channels) (\(alert.reason))"
            } else if !alert.reason.isEmpty {
                what = alert.reason
            } else {
                what = "not notified"
            }
            out.append("    \(what)")
        }
        if !notifications.isEmpty { out.append("") }
        for notification in notifications {
            let status: String
            switch notification.status {
            case .sent: status = "sent"
            case .queued: status = "QUEUED for retry"
            case .dead: status = "DEAD (gave up)"
            case .wouldSend: status = "would send"
            }
            out.append("── \(notification.channel): \(status)\(notification.retry ? " (retry)" : "") ──")
            if let error = notification.error { out.append("error: \(error)") }
            out.append("Subject: \(notification.subject)")
            // A dry run shows what would be sent; a real run already sent (or will retry) it.
            if notification.status == .wouldSend { out.append(notification.body) }
        }
        return out.joined(separator: "\n")
    }

    /// Beyond this many alerts of one rule, the text lists half as many and counts the rest.
    static let shownPerRule = 20

    static func summary(of alerts: [AlertReport], after shown: Int) -> String {
        let rest = alerts.dropFirst(shown)
        let counts = [AlertPhase.firing, .pending, .resolved].compactMap { phase -> String? in
            let n = rest.filter { $0.state == phase }.count
            return n == 0 ? nil : "\(n) \(phase.rawValue)"
        }
        let notified = rest.filter(\.notify).count
        return "… and \(rest.count) more \(alerts[0].rule) alerts (\(counts.joined(separator: ", "))"
            + (notified > 0 ? "; \(notified) notified" : "") + "): factorwatch alerts or eval --format json lists each"
    }
}
