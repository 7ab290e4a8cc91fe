#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The wrapper's side of the state database: it records a run's start and end. Recording never stands in the way
/// of the job: when the database cannot be used (locked past the wait, full, read-only) the finished run is kept in
/// the spool (`STATE.spool/`) and recorded by the next evaluation or wrapper, with one notice.
final class JobRecorder {
    private var store: StateStore?
    private var runID: Int64?
    private var started: (job: String, host: String, pid: Int32?, at: Date)?
    /// Why the database could not be used, said once when the run ends.
    private var problem: String?
    private let path: String
    private let notice: (String) -> Void

    /// Opens the database with a short busy timeout and records what earlier wrappers had to spool; on failure
    /// keeps the run for the spool.
    init(path: String, busyTimeout: Double, notice: @escaping (String) -> Void) {
        self.path = path
        self.notice = notice
        let milliseconds = Int32(max(0, min(busyTimeout, 60)) * 1_000)
        // No database configured (the configuration could not be read, which the caller has said): record nothing.
        guard !path.isEmpty else { return }
        do {
            // Probe first: opening a store reads its header, and that must not wait the store's long timeout.
            let probe = try SQLiteDatabase(path: path, busyTimeoutMilliseconds: milliseconds)
            _ = try probe.query("PRAGMA user_version")
            let opened = try StateStore(path: path)
            try opened.database.execute("PRAGMA busy_timeout = \(milliseconds)")
            store = opened
            // Left for the next evaluation when the database is busy again.
            _ = try? JobRunSpool(statePath: path).record(into: opened)
        } catch {
            fail(error)
        }
    }

    func start(job: String, host: String, pid: Int32?, at date: Date) {
        started = (job, host, pid, date)
        guard let store else { return }
        do {
            runID = try store.recordJobStart(job: job, host: host, pid: pid, at: date)
        } catch {
            fail(error)
        }
    }

    func end(at date: Date, termination: Termination, timedOut: Bool, outputTail: String) {
        guard let started else { return }
        if let store, let runID {
            do {
                try store.recordJobEnd(id: runID, at: date, exitCode: termination.exitCode,
                                       signal: termination.signal, timedOut: timedOut, outputTail: outputTail)
                return
            } catch {
                fail(error)
            }
        }
        guard !path.isEmpty else { return }
        let run = JobRun(job: started.job, host: started.host, pid: started.pid, startedAt: started.at,
                         finishedAt: date, exitCode: termination.exitCode, signal: termination.signal,
                         timedOut: timedOut, outputTail: outputTail)
        let unavailable = "factorwatch run: state database \(path) unavailable (\(problem ?? "unknown")); "
        do {
            let file = try JobRunSpool(statePath: path).keep(run, startedID: runID)
            notice(unavailable + "the run of \(started.job) is kept in \(file); the next eval records it")
        } catch {
            notice(unavailable + "the run of \(started.job) cannot be kept in the spool either (\(error)) "
                + "and is not recorded")
        }
    }

    private func fail(_ error: any Error) {
        store = nil
        problem = problem ?? JobRecorder.reason(error)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return error.message }
        if case .unreadable(_, let reason) = error as? StateStoreError { return reason }
        return "\(error)"
    }
}
