import CSQLite
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StateStore {
    /// Opens the file. A read-only open (`alerts`, `status`, `--dry-run`) that meets a hot journal — left by a
    /// process killed mid-write — cannot roll it back without writing, and SQLite refuses to read around it
    /// (SQLITE_READONLY). It then reads a private copy of the database and its journal, which SQLite rolls back
    /// in the copy: the answer is the last committed state, and the file itself stays untouched for the next
    /// eval, which rolls the journal back for real.
    static func open(_ path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path, mode: readOnly ? .readOnly : .readWrite,
                                          busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        guard readOnly else { return database }
        let probe = Result { () throws(SQLiteError) in try database.query("SELECT count(*) FROM sqlite_master") }
        guard case .failure(let error) = probe else { return database }
        guard error.code == SQLITE_READONLY, (try? FileSystem.status(path + "-journal")) != nil else { throw error }
        return try openRolledBackCopy(path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    private static func openRolledBackCopy(_ path: String, busyTimeoutMilliseconds: Int32) throws
        -> SQLiteDatabase {
        var template = Array((tmpDirectory() + "/factorwatch-state-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SQLiteError(code: SQLITE_READONLY, message: "a hot journal needs rolling back and no "
                              + "private copy could be made (\(String(cString: strerror(errno))))", path: path)
        }
        let directory = String(cString: made)
        let copy = directory + "/state.db"
        defer {
            for name in ["/state.db", "/state.db-journal"] { unlink(directory + name) }
            rmdir(directory)
        }
        for (source, target) in [(path, copy), (path + "-journal", copy + "-journal")] {
            guard let data = FileManager.default.contents(atPath: source),
                  FileManager.default.createFile(atPath: target, contents: data) else {
                throw SQLiteError(code: SQLITE_READONLY, message: "a hot journal needs rolling back and "
                                  + "\(source) could not be copied", path: path)
            }
        }
        let database = try SQLiteDatabase(path: copy, mode: .readWrite,
                                          busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // The first read rolls the copy back; the open connection keeps the unlinked file.
        _ = try database.query("SELECT count(*) FROM sqlite_master")
        return database
    }

    private static func tmpDirectory() -> String {
        getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }
}
