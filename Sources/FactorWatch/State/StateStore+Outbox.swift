#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `notification_log` table.
extension StateStore: NotificationLogStore {
    public func notificationLog() throws -> NotificationLog {
        var log = NotificationLog()
        for row in try database.query(
            "SELECT rule, labels, channel, notified_at, severity, resolved FROM notification_log") {
            guard let rule = row[0].string, let labelsKey = row[1].string, let channel = row[2].string,
                  let at = date(row[3]), let severity = row[4].string.flatMap(Severity.init(rawValue:)) else { continue }
            // The table keeps the labels' canonical key only: the entry is found by it.
            log.insert(NotificationLogEntry(key: AlertKey(rule: rule, labels: Labels()), channel: channel,
                                            notifiedAt: at, severity: severity, resolved: (row[5].int64 ?? 0) != 0),
                       labelsKey: labelsKey)
        }
        return log
    }

    public func record(_ entry: NotificationLogEntry) throws {
        try database.query("""
            INSERT OR REPLACE INTO notification_log (rule, labels, channel, notified_at, severity, resolved)
            VALUES (?,?,?,?,?,?)
            """, [.text(entry.key.rule), .text(entry.key.labels.key), .text(entry.channel), real(entry.notifiedAt),
                  .text(entry.severity.rawValue), .integer(entry.resolved ? 1 : 0)])
    }
}

/// The `outbox` table.
extension StateStore: OutboxStore {
    public func enqueue(_ digest: Digest, at: Date) throws -> Int64 {
        try database.query("""
            INSERT INTO outbox (channel, digest_json, created_at, attempts, next_attempt_at, status)
            VALUES (?,?,?,0,?,'queued')
            """, [.text(digest.channel), .text(try encodeDigest(digest)), real(at), real(at)])
        return database.lastInsertRowID
    }

    public func dueOutbox(at now: Date) throws -> [OutboxEntry] {
        try selectOutbox(.due, [real(now)])
    }

    public func undelivered() throws -> [OutboxEntry] {
        try selectOutbox(.undelivered, [])
    }

    public func queuedOutbox(channel: String, before id: Int64) throws -> [OutboxEntry] {
        try selectOutbox(.queuedBefore, [.text(channel), .integer(id)])
    }

    public func outboxEntry(id: Int64) throws -> OutboxEntry? {
        try selectOutbox(.byID, [.integer(id)]).first
    }

    public func markSent(_ id: Int64, at: Date) throws {
        try database.query("""
            UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?
            """, [real(at), .integer(id)])
    }

    public func markFailed(_ id: Int64, error: String, nextAttemptAt: Date, dead: Bool) throws {
        try database.query("""
            UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ? WHERE id = ?
            """, [.text(error), real(nextAttemptAt), .text(dead ? "dead" : "queued"), .integer(id)])
    }

    public func pruneSent(before: Date) throws {
        try database.query("DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?", [real(before)])
    }

    /// The outbox queries, each a fixed condition: no caller passes SQL.
    private enum OutboxQuery: String {
        case due = "status = 'queued' AND next_attempt_at <= ?"
        case undelivered = "status IN ('queued', 'dead')"
        case queuedBefore = "status = 'queued' AND channel = ? AND id < ?"
        case byID = "id = ?"
    }

    private func selectOutbox(_ query: OutboxQuery, _ parameters: [SQLiteValue]) throws -> [OutboxEntry] {
        try database.query("""
            SELECT id, digest_json, created_at, attempts, next_attempt_at, status, last_error, sent_at FROM outbox
            WHERE \(query.rawValue) ORDER BY id
            """, parameters).compactMap { row in
            guard let id = row[0].int64, let json = row[1].string, let digest = try? decodeDigest(json),
                  let created = date(row[2]), let next = date(row[4]),
                  let status = row[5].string.flatMap(OutboxEntry.Status.init(rawValue:)) else { return nil }
            return OutboxEntry(id: id, digest: digest, createdAt: created, attempts: Int(row[3].int64 ?? 0),
                               nextAttemptAt: next, status: status, lastError: row[6].string, sentAt: date(row[7]))
        }
    }
}
