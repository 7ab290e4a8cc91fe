#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One stored figure of one trading day: `metric{labels}` of the factor file dated `date`.
public struct HistoryPoint: Sendable, Equatable {
    public var metric: String
    public var labels: Labels
    public var date: LocalDate
    public var value: Double
    /// The day's annotation labels other than `__date` (`__worst`, `__reason`, …), which its templates show.
    public var annotations: Labels

    public init(metric: String, labels: Labels, date: LocalDate, value: Double, annotations: Labels = Labels()) {
        self.metric = metric
        self.labels = labels
        self.date = date
        self.value = value
        self.annotations = annotations
    }
}

/// What one factor file contributed to the history: its date, a fingerprint of its figures, and the figures.
public struct HistoryDay: Sendable, Equatable {
    public var date: LocalDate
    public var observations: [Observation]

    public init(date: LocalDate, observations: [Observation]) {
        self.date = date
        self.observations = observations.sorted { ($0.metric, $0.labels) < ($1.metric, $1.labels) }
    }

    /// FNV-1a over the figures in a fixed order: the same file measured twice gives the same fingerprint.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for observation in observations {
            for byte in observation.description.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ 0x0A) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}

/// The daily history in the state database: per factor file (keyed by its trading date) every figure measured
/// on it, and per evaluation the notifications it sent (the audit log). Its tables are its own and created on
/// first use (`CREATE TABLE IF NOT EXISTS`), so the alert-state schema and its version are untouched.
public final class HistoryStore {
    public let database: SQLiteDatabase
    /// Version of the history tables, kept in `history_meta`.
    static let schemaVersion = 2

    /// Opens the history tables of `database`, creating them when the database is writable.
    /// False for a read-only database no evaluation has written history to yet: it reads as empty.
    let available: Bool

    public init(database: SQLiteDatabase, readOnly: Bool = false) throws {
        self.database = database
        if readOnly {
            available = try database.query(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'history_points'"
            ).first?.first?.int64 ?? 0 > 0
        } else {
            available = true
            try migrate()
        }
    }

    /// Opens the history of a state store (dry runs read it without writing).
    public convenience init(store: StateStore) throws {
        try self.init(database: store.database, readOnly: store.readOnly)
    }

    private func migrate() throws {
        try database.execute(Self.schema)
        let found = try database.query("SELECT value FROM history_meta WHERE key = 'version'").first?.first?.int64
        if let found, found > Int64(Self.schemaVersion) {
            throw StateStoreError.newerSchema(path: database.path, found: Int(found), supported: Self.schemaVersion)
        }
        if found == nil || found == 1 { try database.execute(Self.schemaV2) }
        if found != Int64(Self.schemaVersion) {
            try database.query("INSERT OR REPLACE INTO history_meta (key, value) VALUES ('version', ?)",
                               [.integer(Int64(Self.schemaVersion))])
        }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS history_days (
            date INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, recorded_at REAL NOT NULL, source TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS history_series (
            id INTEGER PRIMARY KEY, metric TEXT NOT NULL, labels_json TEXT NOT NULL, UNIQUE (metric, labels_json));
        CREATE TABLE IF NOT EXISTS history_points (
            series INTEGER NOT NULL, date INTEGER NOT NULL, value REAL, PRIMARY KEY (series, date)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS history_notifications (
            id INTEGER PRIMARY KEY, at REAL NOT NULL, channel TEXT NOT NULL, subject TEXT NOT NULL,
            status TEXT NOT NULL, alerts TEXT NOT NULL, error TEXT);
        CREATE INDEX IF NOT EXISTS history_notifications_at ON history_notifications (at);
        """

    /// Version 2: a point keeps its annotations (JSON, NULL when it has none besides `__date`).
    static let schemaV2 = "ALTER TABLE history_points ADD COLUMN notes TEXT"

    /// Whether `day` is already stored with the same figures.
    public func contains(_ day: HistoryDay) throws -> Bool {
        let stored = try database.query("SELECT fingerprint FROM history_days WHERE date = ?",
                                        [.integer(Self.key(day.date))]).first?.first?.string
        return stored == day.fingerprint
    }

    /// Stores a day's figures, replacing what an earlier version of the same file left. Returns false when the
    /// day was already stored as it is (the common case: the same file seen by another cron tick).
    @discardableResult
    public func record(_ day: HistoryDay, source: String, at now: Date) throws -> Bool {
        if try contains(day) { return false }
        let date = Self.key(day.date)
        try database.query("DELETE FROM history_points WHERE date = ?", [.integer(date)])
        var seriesIDs: [String: Int64] = [:]
        for observation in day.observations {
            let labels = Self.encode(observation.labels.identity)
            let cacheKey = observation.metric + "\u{0}" + labels
            let id: Int64
            if let known = seriesIDs[cacheKey] {
                id = known
            } else {
                id = try seriesID(metric: observation.metric, labelsJSON: labels)
                seriesIDs[cacheKey] = id
            }
            let notes = observation.labels.removing([Labels.annotationPrefix + "date"]).removing(
                observation.labels.identity.map(\.name))
            try database.query("INSERT OR REPLACE INTO history_points (series, date, value, notes) VALUES (?,?,?,?)",
                               [.integer(id), .integer(date), Self.real(observation.value),
                                notes.isEmpty ? .null : .text(Self.encode(notes))])
        }
        try database.query("""
            INSERT OR REPLACE INTO history_days (date, fingerprint, recorded_at, source) VALUES (?,?,?,?)
            """, [.integer(date), .text(day.fingerprint), .real(now.timeIntervalSince1970), .text(source)])
        return true
    }

    private func seriesID(metric: String, labelsJSON: String) throws -> Int64 {
        let select = "SELECT id FROM history_series WHERE metric = ? AND labels_json = ?"
        if let id = try database.query(select, [.text(metric), .text(labelsJSON)]).first?.first?.int64 { return id }
        try database.query("INSERT INTO history_series (metric, labels_json) VALUES (?,?)",
                           [.text(metric), .text(labelsJSON)])
        return database.lastInsertRowID
    }

    /// The stored trading dates, oldest first.
    public func dates() throws -> [LocalDate] {
        guard available else { return [] }
        return try database.query("SELECT date FROM history_days ORDER BY date").compactMap { Self.date($0[0]) }
    }

    /// Every stored point of the named metrics (all metrics when nil) dated within `from...to`, by series and date.
    public func points(metrics: Set<String>? = nil, from: LocalDate? = nil, to: LocalDate? = nil) throws
        -> [HistoryPoint]
    {
        guard available else { return [] }
        var clauses: [String] = []
        var parameters: [SQLiteValue] = []
        if let metrics {
            if metrics.isEmpty { return [] }
            clauses.append("s.metric IN (" + metrics.map { _ in "?" }.joined(separator: ",") + ")")
            parameters += metrics.sorted().map { .text($0) }
        }
        if let from { clauses.append("p.date >= ?"); parameters.append(.integer(Self.key(from))) }
        if let to { clauses.append("p.date <= ?"); parameters.append(.integer(Self.key(to))) }
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        var labelCache: [String: Labels] = [:]
        return try database.query("""
            SELECT s.metric, s.labels_json, p.date, p.value, p.notes FROM history_points p
            JOIN history_series s ON s.id = p.series \(condition) ORDER BY s.metric, s.labels_json, p.date
            """, parameters).compactMap { row in
            guard let metric = row[0].string, let json = row[1].string, let date = Self.date(row[2]) else { return nil }
            let labels = labelCache[json] ?? Self.decode(json)
            labelCache[json] = labels
            return HistoryPoint(metric: metric, labels: labels, date: date, value: row[3].double ?? .nan,
                                annotations: row[4].string.map(Self.decode) ?? Labels())
        }
    }

    /// Forgets days before `date` (the retention), and notifications older than `notificationsBefore`.
    public func prune(before date: LocalDate, notificationsBefore: Date) throws {
        try database.query("DELETE FROM history_points WHERE date < ?", [.integer(Self.key(date))])
        try database.query("DELETE FROM history_days WHERE date < ?", [.integer(Self.key(date))])
        try database.query("DELETE FROM history_notifications WHERE at < ?",
                           [.real(notificationsBefore.timeIntervalSince1970)])
    }

    // MARK: encoding

    static func key(_ date: LocalDate) -> Int64 { Int64(date.year * 10_000 + date.month * 100 + date.day) }

    static func date(_ value: SQLiteValue) -> LocalDate? {
        guard let number = value.int64 else { return nil }
        return LocalDate(year: Int(number / 10_000), month: Int(number / 100 % 100), day: Int(number % 100))
    }

    static func real(_ value: Double) -> SQLiteValue { value.isNaN ? .null : .real(value) }

    static func encode(_ labels: Labels) -> String {
        JSONWriter.stored.string(labels)
    }

    static func decode(_ json: String) -> Labels {
        (try? JSONDecoder().decode(Labels.self, from: Data(json.utf8))) ?? Labels()
    }
}
