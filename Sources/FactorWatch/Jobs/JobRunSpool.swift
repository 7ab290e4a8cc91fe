#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Job runs that `factorwatch run` could not write to the state database (locked past `lock_timeout`, full,
/// read-only), kept as one small file each in `STATE.spool/` until the next evaluation or wrapper records them.
/// A run is never lost to a busy database: the job's outcome reaches `job_runs`, only later.
public struct JobRunSpool: Sendable {
    public let directory: String

    public init(statePath: String) {
        directory = statePath + ".spool"
    }

    /// A kept run: its file, the run, and the row its start was recorded in, if it was.
    public typealias Kept = (path: String, run: JobRun, startedID: Int64?)

    /// What one spool file holds: the whole run, and the row its start was recorded in, if it was.
    struct Entry: Codable {
        var startedID: Int64?
        var job: String
        var host: String
        var pid: Int32?
        var startedAt: Double
        var finishedAt: Double?
        var exitCode: Int32?
        var signal: Int32?
        var timedOut: Bool
        var outputTail: String?

        enum CodingKeys: String, CodingKey {
            case startedID = "started_id", job, host, pid, startedAt = "started_at", finishedAt = "finished_at"
            case exitCode = "exit_code", signal, timedOut = "timed_out", outputTail = "output_tail"
        }

        var run: JobRun {
            JobRun(job: job, host: host, pid: pid, startedAt: Date(timeIntervalSince1970: startedAt),
                   finishedAt: finishedAt.map { Date(timeIntervalSince1970: $0) }, exitCode: exitCode,
                   signal: signal, timedOut: timedOut, outputTail: outputTail)
        }
    }

    /// Keeps `run` in the spool, durably; returns the file's path.
    @discardableResult
    public func keep(_ run: JobRun, startedID: Int64?) throws(FileSystem.Failure) -> String {
        if mkdir(directory, 0o750) != 0 && errno != EEXIST { throw FileSystem.Failure(path: directory, code: errno) }
        let entry = Entry(startedID: startedID, job: run.job, host: run.host, pid: run.pid,
                          startedAt: run.startedAt.timeIntervalSince1970,
                          finishedAt: run.finishedAt?.timeIntervalSince1970, exitCode: run.exitCode,
                          signal: run.signal, timedOut: run.timedOut, outputTail: run.outputTail)
        let micros = Int64((run.startedAt.timeIntervalSince1970 * 1e6).rounded())
        let path = FileSystem.join(directory, "\(micros)-\(getpid()).json")
        try FileSystem.writeAtomically(Array(JSONWriter.compact.string(entry).utf8), to: path)
        return path
    }

    /// The kept runs, oldest start first. A file that cannot be read or decoded is left where it is and named in
    /// `unreadable`, never dropped.
    public func pending() -> (runs: [Kept], unreadable: [String]) {
        guard let names = try? FileSystem.names(directory) else { return ([], []) }
        var runs: [Kept] = []
        var unreadable: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = FileSystem.join(directory, name)
            guard let bytes = try? FileSystem.contents(path),
                  let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes)) else {
                unreadable.append(path)
                continue
            }
            runs.append((path, entry.run, entry.startedID))
        }
        return (runs, unreadable)
    }

    /// Records every kept run in `store` in one transaction, then removes their files. Returns how many runs were
    /// written. A crash between the commit and the removal is harmless: a run already recorded is skipped.
    @discardableResult
    public func record(into store: StateStore) throws -> Int {
        try record(pending().runs, into: store)
    }

    /// Records `kept` (what `pending()` listed) in one transaction, then removes their files.
    @discardableResult
    public func record(_ kept: [Kept], into store: StateStore) throws -> Int {
        guard !kept.isEmpty else { return 0 }
        let written = try store.transaction {
            try kept.reduce(0) { count, entry in
                count + (try store.recordSpooled(entry.run, startedID: entry.startedID) ? 1 : 0)
            }
        }
        for entry in kept { unlink(entry.path) }
        return written
    }
}
