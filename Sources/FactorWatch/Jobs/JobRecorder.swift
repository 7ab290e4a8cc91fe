#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The wrapper's side of the state database: it records a run's start and end and gives up quietly (one notice)
/// when the database cannot be used, because recording must never stand in the way of the job.
final class JobRecorder {
    private var store: StateStore?
    private var runID: Int64?
    private let path: String
    private let notice: (String) -> Void

    /// Opens the database with a short busy timeout; on failure reports once and records nothing.
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
        } catch {
            fail(error)
        }
    }

    var isRecording: Bool { store != nil }

    func start(job: String, host: String, pid: Int32?, at date: Date) {
        guard let store else { return }
        do {
            runID = try store.recordJobStart(job: job, host: host, pid: pid, at: date)
        } catch {
            fail(error)
        }
    }

    func end(at date: Date, termination: Termination, timedOut: Bool, outputTail: String) {
        guard let store, let runID else { return }
        do {
            try store.recordJobEnd(id: runID, at: date, exitCode: termination.exitCode, signal: termination.signal,
                                   timedOut: timedOut, outputTail: outputTail)
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: any Error) {
        store = nil
        notice("factorwatch run: state database \(path) unavailable (\(JobRecorder.reason(error))); "
            + "the job runs without being recorded")
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return error.message }
        if case .unreadable(_, let reason) = error as? StateStoreError { return reason }
        return "\(error)"
    }
}
