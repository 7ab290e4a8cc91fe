#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The runs of one job that matter for its health.
public struct JobRunSummary: Sendable, Equatable {
    /// The most recently started run, finished or not.
    public var latest: JobRun?
    public var lastFinished: JobRun?
    /// The most recently finished run that exited 0.
    public var lastSuccess: JobRun?

    public init(latest: JobRun? = nil, lastFinished: JobRun? = nil, lastSuccess: JobRun? = nil) {
        self.latest = latest
        self.lastFinished = lastFinished
        self.lastSuccess = lastSuccess
    }
}

/// Where `factorwatch run` records job runs and `jobs`/`status` read them back.
public protocol JobRunStore: AnyObject {
    func recordJobStart(job: String, host: String, pid: Int32?, at startedAt: Date) throws -> Int64
    func recordJobEnd(id: Int64, at finishedAt: Date, exitCode: Int32, signal: Int32?, timedOut: Bool,
                      outputTail: String?) throws
    @discardableResult func recordJobRun(_ run: JobRun) throws -> Int64
    func jobRuns(job: String, limit: Int) throws -> [JobRun]
    func jobRunSummary(job: String) throws -> JobRunSummary
    func jobNames() throws -> [String]
}

/// Where the jobs collector reads recorded runs. The collector only reads.
public protocol JobRunSource: Sendable {
    func summaries(jobs: [String]) throws -> [String: JobRunSummary]
}

/// Reads `job_runs` from the state database, opened read-only for each collection so a collector never holds
/// the file open or writes to it. A missing database means no runs yet.
public struct SQLiteJobRunSource: JobRunSource {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func summaries(jobs: [String]) throws -> [String: JobRunSummary] {
        let store = try StateStore(path: path, readOnly: true)
        var result: [String: JobRunSummary] = [:]
        for job in jobs {
            result[job] = try store.jobRunSummary(job: job)
        }
        return result
    }
}
