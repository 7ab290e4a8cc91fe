#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One recorded run of a pipeline job, as `factorwatch run` writes it to the `job_runs` table.
public struct JobRun: Sendable, Equatable {
    public var id: Int64
    public var job: String
    public var host: String
    /// The job's process id (the child of the wrapper), for telling a running job from a crashed one.
    public var pid: Int32?
    public var startedAt: Date
    /// Nil while the run has not finished (or the wrapper died before it could record the end).
    public var finishedAt: Date?
    /// The job's exit status; 128 + signal when a signal ended it, as shells report it.
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    /// The last lines of the job's combined output.
    public var outputTail: String?

    public init(id: Int64 = 0, job: String, host: String, pid: Int32?, startedAt: Date, finishedAt: Date? = nil,
                exitCode: Int32? = nil, signal: Int32? = nil, timedOut: Bool = false, outputTail: String? = nil) {
        self.id = id
        self.job = job
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.outputTail = outputTail
    }

    public var isFinished: Bool { finishedAt != nil }

    public var duration: Double? { finishedAt.map { $0.timeIntervalSince(startedAt) } }

    public var succeeded: Bool { exitCode == 0 && finishedAt != nil }
}
