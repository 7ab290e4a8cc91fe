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
    /// Damaged, or not an SQLite file at all.
    case corrupt(path: String, reason: String)

    public var description: String {
        switch self {
        case .newerSchema(let path, let found, let supported):
            "\(path): state database schema version \(found) is newer than this factorwatch supports (\(supported)); "
                + "refusing to touch it. Upgrade factorwatch or point `state:` at another file."
        case .foreign(let path):
            "\(path): not a factorwatch state database (it holds other tables); refusing to overwrite it"
        case .unreadable(let path, let reason):
            "\(path): cannot use the state database: \(reason)"
        case .corrupt(let path, let reason):
            "\(path): the state database is damaged or not a database (\(reason)). Keep a copy (cp -p \(path)* "
                + "somewhere safe), check it with sqlite3 \(path) 'PRAGMA integrity_check', then move it aside: "
                + "the next eval starts a new one (its alert history and queued notifications are lost)."
        }
    }
}

/// Alert state, the notification log, the outbox, silences, collector memory and job runs in one SQLite file.
///
/// Each of its users sees it through its own narrow protocol (`AlertStateStore`, `NotificationLogStore`,
/// `OutboxStore`, `SilenceStore`, `CollectorMemoryStore`, `JobRunStore`); the tables are written in extensions, one
/// file per store. Each evaluation is one `transaction`. A read-only store (dry run) never writes and never creates the file.
public final class StateStore {
    public static let schemaVersion = 2
    /// 'FWAT' — lets us tell our file from someone else's SQLite database.
    static let applicationID: Int64 = 0x4657_4154

    public let database: SQLiteDatabase
    public let path: String
    public let readOnly: Bool

    /// Opens (creating and migrating when writable) the database at `path`. `:memory:` gives a private
    /// in-memory store. A read-only open of a missing file gives an empty in-memory store.
    /// `busyTimeout`: seconds to wait for another process's lock on the file (`lock_timeout`).
    public init(path: String, readOnly: Bool = false, busyTimeout: Double = 10) throws {
        self.path = path
        self.readOnly = readOnly
        let milliseconds = Int32(max(0, min(busyTimeout, 3_600)) * 1_000)
        do {
            if readOnly && path != ":memory:" && (try? FileSystem.status(path)) == nil {
                database = try SQLiteDatabase(path: ":memory:")
                try migrate()
                try database.execute(StateStore.acknowledgementsTable + StateStore.heldNoticesTable)
                return
            }
            database = try StateStore.open(path, readOnly: readOnly, busyTimeoutMilliseconds: milliseconds)
            try checkIdentity()
            if !readOnly {
                try migrate()
                try database.execute(StateStore.acknowledgementsTable + StateStore.heldNoticesTable)
            }
        } catch let error as SQLiteError {
            if error.isCorrupt { throw StateStoreError.corrupt(path: path, reason: error.message) }
            throw StateStoreError.unreadable(path: path, reason: error.explanation)
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
        guard database.userVersion < StateStore.schemaVersion else { return }
        try database.transaction {
            // Read again under the write lock: another first run may have created the schema meanwhile.
            let version = database.userVersion
            guard version < StateStore.schemaVersion else { return }
            if version < 1 {
                try database.execute(StateStore.schemaV1)
            }
            if version < 2 {
                try database.execute(StateStore.schemaV2)
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

    // MARK: encoding

    func real(_ date: Date?) -> SQLiteValue { date.map { .real($0.timeIntervalSince1970) } ?? .null }
    func real(_ value: Double) -> SQLiteValue { value.isNaN ? .null : .real(value) }
    func date(_ value: SQLiteValue) -> Date? { value.double.map { Date(timeIntervalSince1970: $0) } }

    func encodeLabels(_ labels: Labels) -> String {
        JSONWriter.stored.string(labels)
    }

    func decodeLabels(_ json: String?) -> Labels? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(Labels.self, from: Data(json.utf8))
    }

    func encodeDigest(_ digest: Digest) throws -> String {
        try JSONWriter.stored.encode(digest)
    }

    func decodeDigest(_ json: String) throws -> Digest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return try decoder.decode(Digest.self, from: Data(json.utf8))
    }
}
