/// The replay for people: per day what fired, resolved and would have been sent; per rule the totals.
public struct ReplaySummary {
    public let result: Replay.Result
    public let zone: TimeZoneRules

    public init(result: Replay.Result, zone: TimeZoneRules) {
        self.result = result
        self.zone = zone
    }

    public struct Total: Sendable, Equatable {
        public var rule: String
        /// Notices that the alert started firing, that it repeated, that it resolved.
        public var fired = 0, repeated = 0, resolved = 0
        /// Trading days on which one of its alerts was firing.
        public var daysFiring = 0
    }

    public var totals: [Total] {
        var byRule: [String: Total] = [:]
        for day in result.days {
            for alert in day.alerts where alert.state == .firing {
                byRule[alert.rule, default: Total(rule: alert.rule)].daysFiring += 1
            }
            for (_, notices) in day.notices {
                for notice in notices {
                    var total = byRule[notice.rule, default: Total(rule: notice.rule)]
                    switch notice.reason {
                    case .firing, .severityChanged: total.fired += 1
                    case .repeated, .silenceEnded: total.repeated += 1
                    case .resolved: total.resolved += 1
                    }
                    byRule[notice.rule] = total
                }
            }
        }
        return byRule.values.sorted { $0.rule < $1.rule }
    }

    public var text: String {
        var lines: [String] = []
        for day in result.days {
            let reported = day.alerts
            guard !reported.isEmpty || !day.notices.isEmpty else { continue }
            lines.append(day.date.description)
            for alert in reported {
                let channels = day.notices.keys.sorted().filter { channel in
                    day.notices[channel]!.contains { $0.rule == alert.rule && $0.labels == alert.labels }
                }
                let sent = channels.isEmpty ? "" : " → " + channels.joined(separator: ", ")
                lines.append("  \(alert.state.rawValue.uppercased()) \(alert.severity.rawValue) "
                             + "\(alert.rule)\(alert.labels.identity) = \(formatValue(alert.value))"
                             + (alert.summary.isEmpty ? "" : " — \(alert.summary)") + sent)
            }
        }
        let totals = self.totals
        let span = result.days.first.map { "\($0.date) – \(result.days.last!.date), " } ?? ""
        lines.append("")
        lines.append("replayed \(span)\(result.days.count) trading days; nothing was sent")
        if !totals.isEmpty {
            let width = max(4, totals.map(\.rule.count).max() ?? 0)
            lines.append("  " + pad("rule", width) + "  fired  repeated  resolved  days firing")
            for total in totals {
                lines.append("  " + pad(total.rule, width) + "  " + pad("\(total.fired)", 5) + "  "
                             + pad("\(total.repeated)", 8) + "  " + pad("\(total.resolved)", 8) + "  \(total.daysFiring)")
            }
        } else {
            lines.append("  no rule fired")
        }
        if !result.skippedRules.isEmpty {
            lines.append("skipped (they read what the history does not keep): "
                         + result.skippedRules.sorted().joined(separator: ", "))
        }
        for error in result.ruleErrors {
            lines.append("rule \(error.rule) failed: \(error.message)")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
