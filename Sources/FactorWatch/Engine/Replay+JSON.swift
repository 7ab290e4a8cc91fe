/// `replay --format json`: every replayed trading day (also the quiet ones) with the alerts it reported and the
/// notices each channel would have been sent, the totals per rule, the rules skipped and the rules that failed.
public struct ReplayJSON: Encodable {
    public let summary: ReplaySummary

    public init(_ summary: ReplaySummary) { self.summary = summary }

    enum Keys: String, CodingKey { case days, totals, skippedRules = "skipped_rules", ruleErrors = "rule_errors" }
    enum DayKeys: String, CodingKey { case date, alerts, notices }
    enum NoticeKeys: String, CodingKey { case channel, rule, severity, reason, labels, escalation }
    enum TotalKeys: String, CodingKey { case rule, fired, repeated, resolved, daysFiring = "days_firing" }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var days = container.nestedUnkeyedContainer(forKey: .days)
        for day in summary.result.days {
            var entry = days.nestedContainer(keyedBy: DayKeys.self)
            try entry.encode(day.date.description, forKey: .date)
            var alerts = entry.nestedUnkeyedContainer(forKey: .alerts)
            for alert in day.alerts {
                var a = alerts.nestedContainer(keyedBy: EvaluationJSON.AlertKeys.self)
                try EvaluationJSON.encodeBasics(of: alert, into: &a)
            }
            var notices = entry.nestedUnkeyedContainer(forKey: .notices)
            for channel in day.notices.keys.sorted() {
                for notice in day.notices[channel]! {
                    var n = notices.nestedContainer(keyedBy: NoticeKeys.self)
                    try n.encode(channel, forKey: .channel)
                    try n.encode(notice.rule, forKey: .rule)
                    try n.encode(notice.severity.rawValue, forKey: .severity)
                    try n.encode(notice.reason.rawValue, forKey: .reason)
                    try n.encode(notice.labels.dictionary, forKey: .labels)
                    try n.encode(notice.escalation, forKey: .escalation)
                }
            }
        }
        var totals = container.nestedUnkeyedContainer(forKey: .totals)
        for total in summary.totals {
            var t = totals.nestedContainer(keyedBy: TotalKeys.self)
            try t.encode(total.rule, forKey: .rule)
            try t.encode(total.fired, forKey: .fired)
            try t.encode(total.repeated, forKey: .repeated)
            try t.encode(total.resolved, forKey: .resolved)
            try t.encode(total.daysFiring, forKey: .daysFiring)
        }
        try container.encode(summary.result.skippedRules.sorted(), forKey: .skippedRules)
        try container.encode(summary.result.ruleErrors, forKey: .ruleErrors)
    }
}
