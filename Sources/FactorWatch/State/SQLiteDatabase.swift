import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A failed SQLite call, with SQLite's own message and the statement that caused it.
public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var path: String

    public var description: String { "\(path): \(message) (SQLite error \(code))" }

    /// The database is locked by another process past the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// The file system holding the database (or its journal) has no room left.
    public var isDiskFull: Bool { code == SQLITE_FULL }
}

/// A value bound to or read from a statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var string: String? { if case .text(let s) = self { return s } else { return nil } }
    public var int64: Int64? {
        switch self {
        case .integer(let v): v
        case .real(let v): Int64(v)
        default: nil
        }
    }
    public var double: Double? {
        switch self {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
}

/// One connection to one SQLite file: prepared statements, typed binding, transactions. Not shared across
/// threads; the evaluation owns it.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?
    public let path: String
    /// Prepared once per connection and reset after each use: an evaluation runs the same few statements
    /// thousands of times.
    private var prepared: [String: OpaquePointer] = [:]

    public enum Mode { case readWrite, readOnly }

    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 10_000) throws(SQLiteError) {
        self.path = path
        let flags = mode == .readOnly
            ? SQLITE_OPEN_READONLY
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteError(code: status, message: message, path: path)
        }
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(handle, 0)
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    private func error(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// Runs statements that return no rows (several, separated by semicolons).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: status, message: text, path: path)
        }
    }

    /// Runs one statement with bound parameters; returns the rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        var statement = prepared[sql]
        var status = SQLITE_OK
        if statement == nil {
            status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
            guard status == SQLITE_OK else { throw error(status) }
            prepared[sql] = statement
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .integer(let v): status = sqlite3_bind_int64(statement, index, v)
            case .real(let v): status = sqlite3_bind_double(statement, index, v)
            case .text(let v): status = csqlite_bind_text(statement, index, v, -1)
            }
            guard status == SQLITE_OK else { throw error(status) }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status) }
            let columns = sqlite3_column_count(statement)
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, column)))
                case SQLITE_NULL: row.append(.null)
                default:
                    if let text = sqlite3_column_text(statement, column) {
                        row.append(.text(String(cString: text)))
                    } else {
                        row.append(.null)
                    }
                }
            }
            rows.append(row)
        }
        return rows
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `BEGIN IMMEDIATE … COMMIT`: takes the write lock at the start, so two writers serialise instead of failing
    /// half way; rolls back on any thrown error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var userVersion: Int {
        get { (try? query("PRAGMA user_version").first?.first?.int64).flatMap { $0 }.map(Int.init) ?? 0 }
    }
}

extension SQLiteError {
    /// A damaged file or not a database at all: the one case where moving the file aside is the advice.
    public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }

    /// What is wrong, for people: SQLite's words, then what it means here and what to do. Never "move it aside"
    /// for a problem that is not the file's: that advice throws away alert state and queued notifications.
    public var explanation: String {
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "\(message): another process holds a lock on it (an eval, `factorwatch run`, or sqlite3 with a "
                + "transaction open) and did not let go within lock_timeout; nothing is wrong with the file — "
                + "find the holder with `fuser \(path)`"
        case SQLITE_READONLY:
            return "\(message): the file or its directory is read-only for \(currentUserName()); the state "
                + "belongs to the user cron runs eval as (chown -R factorwatch:factorwatch the directory)"
        case SQLITE_CANTOPEN:
            if (try? FileSystem.status(path))?.kind == .directory {
                return "it is a directory, not a database file; set state: to a file in it, e.g. \(path)/factorwatch.db"
            }
            return "\(message): its directory is missing or not writable by \(currentUserName()), or the path "
                + "names something that is not a file"
        case SQLITE_FULL:
            return "\(message): the file system holding it is full; free space there (queued notifications are "
                + "still in the file)"
        case SQLITE_PERM, SQLITE_AUTH:
            return "\(message): permission denied for \(currentUserName())"
        case SQLITE_IOERR:
            return "\(message): the operating system reported an I/O error (a failing disk or a dropped network "
                + "mount); the file itself may be fine"
        default:
            return message
        }
    }
}

/// The effective user's name, for messages about file ownership.
func currentUserName() -> String {
    guard let entry = getpwuid(geteuid())?.pointee else { return "uid \(geteuid())" }
    return "user " + String(cString: entry.pw_name)
}
