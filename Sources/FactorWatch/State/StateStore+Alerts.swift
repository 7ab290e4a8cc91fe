#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `alerts` and `alert_history` tables.
extension StateStore: AlertStateStore {
    /// The old name of a transition, for callers written before `AlertTransition`.
    public typealias HistoryEntry = AlertTransition

    public func alerts() throws -> [AlertKey: AlertRecord] {
        var result: [AlertKey: AlertRecord] = [:]
        let rows = try database.query("""
            SELECT rule, labels, phase, severity, value, active_since, fired_at, resolved_at,
                   last_evaluated_at, summary, description, keep_firing_since, labels_json FROM alerts
            """)
        for row in rows {
            guard let rule = row[0].string,
                  let labels = row[1].string.flatMap(StateStore.labels(fromKey:)) ?? decodeLabels(row[12].string),
                  let phase = row[2].string.flatMap(AlertPhase.init(rawValue:)),
                  let severity = row[3].string.flatMap(Severity.init(rawValue:)) else { continue }
            let key = AlertKey(rule: rule, labels: labels)
            result[key] = AlertRecord(
                key: key, phase: phase, severity: severity, value: row[4].double ?? .nan,
                activeSince: date(row[5]) ?? Date(timeIntervalSince1970: 0), firedAt: date(row[6]),
                resolvedAt: date(row[7]), lastEvaluatedAt: date(row[8]) ?? Date(timeIntervalSince1970: 0),
                summary: row[9].string ?? "", description: row[10].string ?? "", keepFiringSince: date(row[11]))
        }
        return result
    }

    public func save(_ record: AlertRecord) throws {
        try database.query("""
            INSERT OR REPLACE INTO alerts (rule, labels, labels_json, phase, severity, value, active_since, fired_at,
                resolved_at, last_evaluated_at, summary, description, keep_firing_since)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(record.key.rule), .text(record.key.labels.key), .text(encodeLabels(record.key.labels)),
                  .text(record.phase.rawValue), .text(record.severity.rawValue), real(record.value),
                  real(record.activeSince), real(record.firedAt), real(record.resolvedAt),
                  real(record.lastEvaluatedAt), .text(record.summary), .text(record.description),
                  real(record.keepFiringSince)])
    }

    public func delete(_ key: AlertKey) throws {
        try database.query("DELETE FROM alerts WHERE rule = ? AND labels = ?", [.text(key.rule), .text(key.labels.key)])
    }

    public func appendHistory(_ transition: AlertTransition) throws {
        try database.query("""
            INSERT INTO alert_history (at, rule, labels, from_phase, to_phase, severity, value, summary)
            VALUES (?,?,?,?,?,?,?,?)
            """, [real(transition.at), .text(transition.key.rule), .text(encodeLabels(transition.key.labels)),
                  .text(transition.from), .text(transition.to), .text(transition.severity.rawValue),
                  real(transition.value), .text(transition.summary)])
    }

    public func history(limit: Int = 200) throws -> [AlertTransition] {
        try database.query("""
            SELECT at, rule, labels, from_phase, to_phase, severity, value, summary FROM alert_history
            ORDER BY at DESC, id DESC LIMIT ?
            """, [.integer(Int64(limit))]).compactMap { row in
            guard let at = date(row[0]), let rule = row[1].string, let labels = decodeLabels(row[2].string),
                  let severity = row[5].string.flatMap(Severity.init(rawValue:)) else { return nil }
            return AlertTransition(at: at, key: AlertKey(rule: rule, labels: labels), from: row[3].string ?? "",
                                   to: row[4].string ?? "", severity: severity, value: row[6].double ?? .nan,
                                   summary: row[7].string ?? "")
        }
    }

    public func pruneHistory(before: Date) throws {
        try database.query("DELETE FROM alert_history WHERE at < ?", [real(before)])
    }
}
