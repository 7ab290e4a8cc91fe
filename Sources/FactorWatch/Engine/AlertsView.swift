#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `factorwatch alerts` shows: live alerts, undelivered and dead notifications, optionally the history.
public struct AlertsView {
    public var alerts: [AlertRecord]
    public var undelivered: [OutboxEntry]
    public var history: [StateStore.HistoryEntry]
    public var zone: TimeZoneRules
    /// The acknowledgement holding for each firing alert at `now`.
    public var acknowledged: [AlertKey: Acknowledgement] = [:]

    public init(store: StateStore, zone: TimeZoneRules, history: Bool, now: Date = Date()) throws {
        alerts = try store.alerts().values.sorted { a, b in
            if a.phase != b.phase { return a.phase == .firing || (a.phase == .pending && b.phase == .resolved) }
            if a.severity != b.severity { return a.severity > b.severity }
            return a.key < b.key
        }
        if !history { alerts.removeAll { $0.phase == .resolved } }
        undelivered = try store.undelivered()
        self.history = history ? try store.history() : []
        self.zone = zone
        let acknowledgements = try store.acknowledgements()
        for alert in alerts {
            if let ack = acknowledgements.last(where: { $0.covers(alert, at: now) }) { acknowledged[alert.key] = ack }
        }
    }

    public func text() -> String {
        var lines: [String] = []
        if alerts.isEmpty { lines.append("no active alerts") }
        for alert in alerts {
            let since = Timestamp.format(alert.phase == .firing ? alert.firedAt ?? alert.activeSince : alert.activeSince,
                                         in: zone)
            lines.append("\(alert.phase.rawValue.uppercased()) \(alert.severity.rawValue) \(alert.key) = "
                         + "\(formatValue(alert.value)) since \(since)"
                         + (alert.summary.isEmpty ? "" : " — \(alert.summary)") + " [\(alert.key.fingerprint)]")
            if let ack = acknowledged[alert.key] { lines.append("    \(ack.wording(in: zone))") }
        }
        for entry in undelivered {
            lines.append("\(entry.status == .dead ? "DEAD" : "QUEUED") notification #\(entry.id) to \(entry.channel) "
                         + "(\(entry.digest.alerts.count) alerts, \(entry.attempts) attempts"
                         + (entry.status == .queued ? ", next \(Timestamp.format(entry.nextAttemptAt, in: zone))" : "")
                         + ")" + (entry.lastError.map { ": \($0)" } ?? ""))
        }
        if !history.isEmpty {
            lines.append("")
            lines.append("history (newest first):")
            for entry in history {
                lines.append("\(Timestamp.format(entry.at, in: zone)) \(entry.key) \(entry.from) → \(entry.to) "
                             + "\(entry.severity.rawValue) \(formatValue(entry.value))")
            }
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        encodeJSON(AlertsJSON(view: self))
    }
}

private struct AlertsJSON: Encodable {
    var view: AlertsView

    enum Keys: String, CodingKey { case alerts, undelivered, history }
    enum AlertKeys: String, CodingKey { case rule, labels, state, severity, value, summary, activeSince = "active_since",
                                            firedAt = "fired_at", resolvedAt = "resolved_at", fingerprint,
                                            acknowledged }
    enum OutboxKeys: String, CodingKey { case id, channel, status, attempts, nextAttemptAt = "next_attempt_at",
                                             lastError = "last_error", alerts }
    enum HistoryKeys: String, CodingKey { case at, rule, labels, from, to, severity, value }

    func encode(to encoder: Encoder) throws {
        let zone = view.zone
        func time(_ date: Date?) -> String? { date.map { Timestamp.format($0, in: zone) } }
        var c = encoder.container(keyedBy: Keys.self)
        var alerts = c.nestedUnkeyedContainer(forKey: .alerts)
        for alert in view.alerts {
            var a = alerts.nestedContainer(keyedBy: AlertKeys.self)
            try a.encode(alert.key.rule, forKey: .rule)
            try a.encode(alert.key.labels.dictionary, forKey: .labels)
            try a.encode(alert.phase.rawValue, forKey: .state)
            try a.encode(alert.severity.rawValue, forKey: .severity)
            try a.encode(JSONNumber(alert.value), forKey: .value)
            try a.encode(alert.summary, forKey: .summary)
            try a.encode(time(alert.activeSince), forKey: .activeSince)
            try a.encode(time(alert.firedAt), forKey: .firedAt)
            try a.encode(time(alert.resolvedAt), forKey: .resolvedAt)
            try a.encode(alert.key.fingerprint, forKey: .fingerprint)
            try a.encode(view.acknowledged[alert.key].map { $0.wording(in: zone) }, forKey: .acknowledged)
        }
        var outbox = c.nestedUnkeyedContainer(forKey: .undelivered)
        for entry in view.undelivered {
            var o = outbox.nestedContainer(keyedBy: OutboxKeys.self)
            try o.encode(entry.id, forKey: .id)
            try o.encode(entry.channel, forKey: .channel)
            try o.encode(entry.status.rawValue, forKey: .status)
            try o.encode(entry.attempts, forKey: .attempts)
            try o.encode(time(entry.nextAttemptAt), forKey: .nextAttemptAt)
            try o.encode(entry.lastError, forKey: .lastError)
            try o.encode(entry.digest.alerts.map(\.rule), forKey: .alerts)
        }
        var history = c.nestedUnkeyedContainer(forKey: .history)
        for entry in view.history {
            var h = history.nestedContainer(keyedBy: HistoryKeys.self)
            try h.encode(time(entry.at), forKey: .at)
            try h.encode(entry.key.rule, forKey: .rule)
            try h.encode(entry.key.labels.dictionary, forKey: .labels)
            try h.encode(entry.from, forKey: .from)
            try h.encode(entry.to, forKey: .to)
            try h.encode(entry.severity.rawValue, forKey: .severity)
            try h.encode(JSONNumber(entry.value), forKey: .value)
        }
    }
}
