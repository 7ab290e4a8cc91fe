#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `acknowledgements` table. It is created by the first writable open that lacks it, so older databases
/// gain it without a schema version of its own; a read-only open of such a database sees none.
extension StateStore: AcknowledgementStore {
    static let acknowledgementsTable = """
        CREATE TABLE IF NOT EXISTS acknowledgements (
            id INTEGER PRIMARY KEY, rule TEXT NOT NULL, labels TEXT NOT NULL, labels_json TEXT NOT NULL,
            severity TEXT NOT NULL, fired_at REAL NOT NULL, until REAL, comment TEXT NOT NULL,
            author TEXT NOT NULL, created_at REAL NOT NULL);
        """

    public func acknowledgements() throws -> [Acknowledgement] {
        let exists = try database.query(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'acknowledgements'")
        guard (exists.first?.first?.int64 ?? 0) > 0 else { return [] }
        return try database.query("""
            SELECT id, rule, labels_json, severity, fired_at, until, comment, author, created_at
            FROM acknowledgements ORDER BY id
            """).compactMap { row in
            guard let id = row[0].int64, let rule = row[1].string, let labels = decodeLabels(row[2].string),
                  let severity = row[3].string.flatMap(Severity.init(rawValue:)), let fired = date(row[4]),
                  let created = date(row[8]) else { return nil }
            return Acknowledgement(id: id, key: AlertKey(rule: rule, labels: labels), severity: severity,
                                   firedAt: fired, until: date(row[5]), comment: row[6].string ?? "",
                                   author: row[7].string ?? "", createdAt: created)
        }
    }

    public func add(_ acknowledgement: Acknowledgement) throws -> Int64 {
        let key = acknowledgement.key
        try database.query("""
            INSERT INTO acknowledgements (rule, labels, labels_json, severity, fired_at, until, comment, author,
                created_at) VALUES (?,?,?,?,?,?,?,?,?)
            """, [.text(key.rule), .text(key.labels.key), .text(encodeLabels(key.labels)),
                  .text(acknowledgement.severity.rawValue), real(acknowledgement.firedAt),
                  real(acknowledgement.until), .text(acknowledgement.comment), .text(acknowledgement.author),
                  real(acknowledgement.createdAt)])
        return database.lastInsertRowID
    }

    /// Forgets acknowledgements of firings that began before `before` and whose alert is no longer firing.
    public func pruneAcknowledgements(before: Date) throws {
        try database.query("""
            DELETE FROM acknowledgements WHERE fired_at < ? AND NOT EXISTS (SELECT 1 FROM alerts
                WHERE alerts.rule = acknowledgements.rule AND alerts.labels = acknowledgements.labels
                AND alerts.phase = 'firing')
            """, [real(before)])
    }
}
