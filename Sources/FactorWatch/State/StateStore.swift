#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CSQLite

/// The state database problems a user must act on, worded for them.
public enum StateStoreError: Error, CustomStringConvertible {
    case newerSchema(path: String, found: Int, supported: Int)
    case foreign(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .newerSchema(let path, let found, let supported):
            "\(path): state database schema version \(found) is newer than this factorwatch supports (\(supported)); "
                + "refusing to touch it. Upgrade factorwatch or point `state:` at another file."
        case .foreign(let path):
            "\(path): not a factorwatch state database (it holds other tables); refusing to overwrite it"
        case .unreadable(let path, let reason):
            "\(path): cannot use the state database: \(reason). If it is corrupt, move it aside; "
                + "factorwatch starts a new one (alert history is lost, pending notifications too)."
        }
    }
}

/// Alert state, the notification log, the outbox, silences and collector memory in one SQLite file.
///
/// Each evaluation is one `transaction`. A read-only store (dry run) never writes and never creates the file.
public final class StateStore {
    public static let schemaVersion = 1
    /// 'FWAT' — lets us tell our file from someone else's SQLite database.
    static let applicationID: Int64 = 0x4657_4154

    public let database: SQLiteDatabase
    public let path: String
    public let readOnly: Bool

    /// Opens (creating and migrating when writable) the database at `path`. `:memory:` gives a private
    /// in-memory store. A read-only open of a missing file gives an empty in-memory store.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        self.readOnly = readOnly
        do {
            if readOnly && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
                database = try SQLiteDatabase(path: ":memory:")
                try migrate()
                return
            }
            database = try SQLiteDatabase(path: path, mode: readOnly ? .readOnly : .readWrite)
            try checkIdentity()
            if !readOnly { try migrate() }
        } catch let error as SQLiteError {
            throw StateStoreError.unreadable(path: path, reason: error.message)
        }
    }

    private func checkIdentity() throws {
        let version = database.userVersion
        if version > StateStore.schemaVersion {
            throw StateStoreError.newerSchema(path: path, found: version, supported: StateStore.schemaVersion)
        }
        let appID = try database.query("PRAGMA application_id").first?.first?.int64 ?? 0
        let tables = try database.query("SELECT count(*) FROM sqlite_master WHERE type = 'table'").first?.first?
            .int64 ?? 0
        if appID != StateStore.applicationID && (tables > 0 || version > 0) { throw StateStoreError.foreign(path: path) }
        if readOnly && version < StateStore.schemaVersion && tables > 0 {
            throw StateStoreError.unreadable(path: path, reason: "schema version \(version) needs a migration; "
                + "run once without --dry-run")
        }
    }

    /// Forward-only migrations keyed by `PRAGMA user_version`.
    private func migrate() throws {
        let version = database.userVersion
        guard version < StateStore.schemaVersion else { return }
        try database.transaction {
            if version < 1 {
                try database.execute(StateStore.schemaV1)
            }
            try database.execute("PRAGMA application_id = \(StateStore.applicationID)")
            try database.execute("PRAGMA user_version = \(StateStore.schemaVersion)")
        }
    }

    static let schemaV1 = """
        CREATE TABLE alerts (
            rule TEXT NOT NULL, labels TEXT NOT NULL, labels_json TEXT NOT NULL,
            phase TEXT NOT NULL, severity TEXT NOT NULL, value REAL,
            active_since REAL NOT NULL, fired_at REAL, resolved_at REAL, last_evaluated_at REAL NOT NULL,
            summary TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (rule, labels));
        CREATE TABLE alert_history (
            id INTEGER PRIMARY KEY, at REAL NOT NULL, rule TEXT NOT NULL, labels TEXT NOT NULL,
            from_phase TEXT NOT NULL, to_phase TEXT NOT NULL, severity TEXT NOT NULL, value REAL, summary TEXT);
        CREATE INDEX alert_history_at ON alert_history (at);
        CREATE TABLE notification_log (
            rule TEXT NOT NULL, labels TEXT NOT NULL, channel TEXT NOT NULL,
            notified_at REAL NOT NULL, severity TEXT NOT NULL, resolved INTEGER NOT NULL,
            PRIMARY KEY (rule, labels, channel));
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY, channel TEXT NOT NULL, digest_json TEXT NOT NULL, created_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL, status TEXT NOT NULL,
            last_error TEXT, sent_at REAL);
        CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
        CREATE TABLE silences (
            id INTEGER PRIMARY KEY, rule TEXT, matchers_json TEXT NOT NULL, starts_at REAL NOT NULL,
            ends_at REAL NOT NULL, comment TEXT NOT NULL, created_by TEXT NOT NULL, created_at REAL NOT NULL);
        CREATE TABLE collector_memory (
            collector TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collector, key));
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY, job TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER,
            started_at REAL NOT NULL, finished_at REAL, exit_code INTEGER, signal INTEGER,
            timed_out INTEGER NOT NULL DEFAULT 0, output_tail TEXT);
        CREATE INDEX job_runs_job ON job_runs (job, started_at);
        """

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try database.transaction(body)
    }

    // MARK: alerts

    public func alerts() throws -> [AlertKey: AlertRecord] {
        var result: [AlertKey: AlertRecord] = [:]
        let rows = try database.query("""
            SELECT rule, labels_json, phase, severity, value, active_since, fired_at, resolved_at,
                   last_evaluated_at, summary, description FROM alerts
            """)
        for row in rows {
            guard let rule = row[0].string, let labels = decodeLabels(row[1].string),
                  let phase = row[2].string.flatMap(AlertPhase.init(rawValue:)),
                  let severity = row[3].string.flatMap(Severity.init(rawValue:)) else { continue }
            let key = AlertKey(rule: rule, labels: labels)
            result[key] = AlertRecord(
                key: key, phase: phase, severity: severity, value: row[4].double ?? .nan,
                activeSince: date(row[5]) ?? Date(timeIntervalSince1970: 0), firedAt: date(row[6]),
                resolvedAt: date(row[7]), lastEvaluatedAt: date(row[8]) ?? Date(timeIntervalSince1970: 0),
                summary: row[9].string ?? "", description: row[10].string ?? "")
        }
        return result
    }

    public func save(_ record: AlertRecord) throws {
        try database.query("""
            INSERT OR REPLACE INTO alerts (rule, labels, labels_json, phase, severity, value, active_since, fired_at,
                resolved_at, last_evaluated_at, summary, description) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.text(record.key.rule), .text(record.key.labels.key), .text(encodeLabels(record.key.labels)),
                  .text(record.phase.rawValue), .text(record.severity.rawValue), real(record.value),
                  real(record.activeSince), real(record.firedAt), real(record.resolvedAt),
                  real(record.lastEvaluatedAt), .text(record.summary), .text(record.description)])
    }

    public func delete(_ key: AlertKey) throws {
        try database.query("DELETE FROM alerts WHERE rule = ? AND labels = ?", [.text(key.rule), .text(key.labels.key)])
    }

    public func appendHistory(_ key: AlertKey, from: String, to: String, severity: Severity, value: Double,
                              summary: String, at: Date) throws {
        try database.query("""
            INSERT INTO alert_history (at, rule, labels, from_phase, to_phase, severity, value, summary)
            VALUES (?,?,?,?,?,?,?,?)
            """, [real(at), .text(key.rule), .text(encodeLabels(key.labels)), .text(from), .text(to),
                  .text(severity.rawValue), real(value), .text(summary)])
    }

    public struct HistoryEntry: Sendable {
        public var at: Date
        public var key: AlertKey
        public var from: String
        public var to: String
        public var severity: Severity
        public var value: Double
        public var summary: String
    }

    public func history(limit: Int = 200) throws -> [HistoryEntry] {
        try database.query("""
            SELECT at, rule, labels, from_phase, to_phase, severity, value, summary FROM alert_history
            ORDER BY at DESC, id DESC LIMIT ?
            """, [.integer(Int64(limit))]).compactMap { row in
            guard let at = date(row[0]), let rule = row[1].string, let labels = decodeLabels(row[2].string),
                  let severity = row[5].string.flatMap(Severity.init(rawValue:)) else { return nil }
            return HistoryEntry(at: at, key: AlertKey(rule: rule, labels: labels), from: row[3].string ?? "",
                                to: row[4].string ?? "", severity: severity, value: row[6].double ?? .nan,
                                summary: row[7].string ?? "")
        }
    }

    // MARK: notification log

    public func notificationLog() throws -> [String: NotificationLogEntry] {
        var result: [String: NotificationLogEntry] = [:]
        for row in try database.query(
            "SELECT rule, labels, channel, notified_at, severity, resolved FROM notification_log") {
            guard let rule = row[0].string, let labelsKey = row[1].string, let channel = row[2].string,
                  let at = date(row[3]), let severity = row[4].string.flatMap(Severity.init(rawValue:)) else { continue }
            result[StateStore.logKey(rule: rule, labelsKey: labelsKey, channel: channel)] = NotificationLogEntry(
                key: AlertKey(rule: rule, labels: Labels()), channel: channel, notifiedAt: at, severity: severity,
                resolved: (row[5].int64 ?? 0) != 0)
        }
        return result
    }

    static func logKey(rule: String, labelsKey: String, channel: String) -> String {
        rule + "\u{0}" + labelsKey + "\u{0}" + channel
    }

    public func record(_ entry: NotificationLogEntry) throws {
        try database.query("""
            INSERT OR REPLACE INTO notification_log (rule, labels, channel, notified_at, severity, resolved)
            VALUES (?,?,?,?,?,?)
            """, [.text(entry.key.rule), .text(entry.key.labels.key), .text(entry.channel), real(entry.notifiedAt),
                  .text(entry.severity.rawValue), .integer(entry.resolved ? 1 : 0)])
    }

    // MARK: outbox

    public func enqueue(_ digest: Digest, at: Date) throws -> Int64 {
        try database.query("""
            INSERT INTO outbox (channel, digest_json, created_at, attempts, next_attempt_at, status)
            VALUES (?,?,?,0,?,'queued')
            """, [.text(digest.channel), .text(try encodeDigest(digest)), real(at), real(at)])
        return database.lastInsertRowID
    }

    /// Queued entries whose next attempt is due, oldest first.
    public func dueOutbox(at now: Date) throws -> [OutboxEntry] {
        try outbox(where: "status = 'queued' AND next_attempt_at <= ?", [real(now)])
    }

    /// Queued (not yet delivered) and dead entries.
    public func undelivered() throws -> [OutboxEntry] {
        try outbox(where: "status IN ('queued', 'dead')", [])
    }

    public func outbox(where condition: String, _ parameters: [SQLiteValue]) throws -> [OutboxEntry] {
        try database.query("""
            SELECT id, digest_json, created_at, attempts, next_attempt_at, status, last_error, sent_at FROM outbox
            WHERE \(condition) ORDER BY id
            """, parameters).compactMap { row in
            guard let id = row[0].int64, let json = row[1].string, let digest = try? decodeDigest(json),
                  let created = date(row[2]), let next = date(row[4]),
                  let status = row[5].string.flatMap(OutboxEntry.Status.init(rawValue:)) else { return nil }
            return OutboxEntry(id: id, digest: digest, createdAt: created, attempts: Int(row[3].int64 ?? 0),
                               nextAttemptAt: next, status: status, lastError: row[6].string, sentAt: date(row[7]))
        }
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

    /// Forgets delivered digests older than `before`, so the file does not grow without bound.
    public func pruneSent(before: Date) throws {
        try database.query("DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?", [real(before)])
        try database.query("DELETE FROM alert_history WHERE at < ?", [real(before)])
    }

    // MARK: silences

    public func silences() throws -> [Silence] {
        try database.query("""
            SELECT id, rule, matchers_json, starts_at, ends_at, comment, created_by, created_at FROM silences ORDER BY id
            """).compactMap { row in
            guard let id = row[0].int64, let json = row[2].string, let starts = date(row[3]), let ends = date(row[4]),
                  let created = date(row[7]),
                  let matchers = try? JSONDecoder().decode([SilenceMatcher].self, from: Data(json.utf8)) else { return nil }
            return Silence(id: id, rule: row[1].string, matchers: matchers, startsAt: starts, endsAt: ends,
                           comment: row[5].string ?? "", createdBy: row[6].string ?? "", createdAt: created)
        }
    }

    public func add(_ silence: Silence) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        try database.query("""
            INSERT INTO silences (rule, matchers_json, starts_at, ends_at, comment, created_by, created_at)
            VALUES (?,?,?,?,?,?,?)
            """, [silence.rule.map { .text($0) } ?? .null, .text(json), real(silence.startsAt), real(silence.endsAt),
                  .text(silence.comment), .text(silence.createdBy), real(silence.createdAt)])
        return database.lastInsertRowID
    }

    /// Ends a silence now. Returns false when no such silence exists.
    public func expireSilence(_ id: Int64, at: Date) throws -> Bool {
        try database.query("UPDATE silences SET ends_at = min(ends_at, ?) WHERE id = ?", [real(at), .integer(id)])
        return database.changes > 0
    }

    // MARK: collector memory

    public func memoryValues() throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try database.query("SELECT collector, key, value FROM collector_memory") {
            if let collector = row[0].string, let key = row[1].string, let value = row[2].string {
                result[collector + "\u{0}" + key] = value
            }
        }
        return result
    }

    public func setMemory(collector: String, key: String, value: String?) throws {
        if let value {
            try database.query("INSERT OR REPLACE INTO collector_memory (collector, key, value) VALUES (?,?,?)",
                               [.text(collector), .text(key), .text(value)])
        } else {
            try database.query("DELETE FROM collector_memory WHERE collector = ? AND key = ?",
                               [.text(collector), .text(key)])
        }
    }

    // MARK: encoding

    private func real(_ date: Date?) -> SQLiteValue { date.map { .real($0.timeIntervalSince1970) } ?? .null }
    private func real(_ value: Double) -> SQLiteValue { value.isNaN ? .null : .real(value) }
    private func date(_ value: SQLiteValue) -> Date? { value.double.map { Date(timeIntervalSince1970: $0) } }

    private func encodeLabels(_ labels: Labels) -> String {
        (try? String(decoding: StateStore.encoder.encode(labels), as: UTF8.self)) ?? "{}"
    }

    private func decodeLabels(_ json: String?) -> Labels? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(Labels.self, from: Data(json.utf8))
    }

    private func encodeDigest(_ digest: Digest) throws -> String {
        String(decoding: try StateStore.encoder.encode(digest), as: UTF8.self)
    }

    private func decodeDigest(_ json: String) throws -> Digest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return try decoder.decode(Digest.self, from: Data(json.utf8))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return encoder
    }
}
