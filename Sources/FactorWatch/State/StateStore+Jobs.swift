#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Job runs recorded by `factorwatch run`, in the `job_runs` table.
extension StateStore: JobRunStore {
    /// Records the start of a run; returns its id for `recordJobEnd`.
    public func recordJobStart(job: String, host: String, pid: Int32?, at startedAt: Date) throws -> Int64 {
        try database.query(
            "INSERT INTO job_runs (job, host, pid, started_at, timed_out) VALUES (?,?,?,?,0)",
            [.text(job), .text(host), pid.map { .integer(Int64($0)) } ?? .null, .real(startedAt.timeIntervalSince1970)])
        return database.lastInsertRowID
    }

    /// Records how a started run ended.
    public func recordJobEnd(id: Int64, at finishedAt: Date, exitCode: Int32, signal: Int32?, timedOut: Bool,
                             outputTail: String?) throws {
        try database.query("""
            UPDATE job_runs SET finished_at = ?, exit_code = ?, signal = ?, timed_out = ?, output_tail = ?
            WHERE id = ?
            """, [.real(finishedAt.timeIntervalSince1970), .integer(Int64(exitCode)),
                  signal.map { .integer(Int64($0)) } ?? .null, .integer(timedOut ? 1 : 0),
                  outputTail.map { .text($0) } ?? .null, .integer(id)])
    }

    /// Records a whole run at once (a run whose start could not be recorded, or one imported from elsewhere).
    @discardableResult
    public func recordJobRun(_ run: JobRun) throws -> Int64 {
        let id = try recordJobStart(job: run.job, host: run.host, pid: run.pid, at: run.startedAt)
        if let finished = run.finishedAt {
            try recordJobEnd(id: id, at: finished, exitCode: run.exitCode ?? -1, signal: run.signal,
                             timedOut: run.timedOut, outputTail: run.outputTail)
        }
        return id
    }

    /// The job's runs, newest start first.
    public func jobRuns(job: String, limit: Int = 20) throws -> [JobRun] {
        try selectJobRuns("WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                          [.text(job), .integer(Int64(limit))])
    }

    /// What the jobs collector needs of one job: its latest run, latest finished run and latest success.
    public func jobRunSummary(job: String) throws -> JobRunSummary {
        let latest = try selectJobRuns("WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT 1", [.text(job)])
        let finished = try selectJobRuns(
            "WHERE job = ? AND finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1", [.text(job)])
        let success = try selectJobRuns(
            "WHERE job = ? AND finished_at IS NOT NULL AND exit_code = 0 ORDER BY finished_at DESC, id DESC LIMIT 1",
            [.text(job)])
        return JobRunSummary(latest: latest.first, lastFinished: finished.first, lastSuccess: success.first)
    }

    /// The names of all jobs with recorded runs, for `status`.
    public func jobNames() throws -> [String] {
        try database.query("SELECT DISTINCT job FROM job_runs ORDER BY job").compactMap { $0[0].string }
    }

    private func selectJobRuns(_ clause: String, _ parameters: [SQLiteValue]) throws -> [JobRun] {
        try database.query("""
            SELECT id, job, host, pid, started_at, finished_at, exit_code, signal, timed_out, output_tail
            FROM job_runs \(clause)
            """, parameters).compactMap { row in
            guard let id = row[0].int64, let job = row[1].string, let started = row[4].double else { return nil }
            return JobRun(id: id, job: job, host: row[2].string ?? "", pid: row[3].int64.map { Int32($0) },
                          startedAt: Date(timeIntervalSince1970: started),
                          finishedAt: row[5].double.map { Date(timeIntervalSince1970: $0) },
                          exitCode: row[6].int64.map { Int32($0) }, signal: row[7].int64.map { Int32($0) },
                          timedOut: (row[8].int64 ?? 0) != 0, outputTail: row[9].string)
        }
    }
}
