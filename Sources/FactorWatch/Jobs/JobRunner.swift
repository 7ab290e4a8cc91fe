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

/// Runs one pipeline job as a cron wrapper (`factorwatch run --job NAME -- CMD ARGS...`).
///
/// The job's standard output and error pass through unchanged to the wrapper's, so redirections in the crontab
/// keep working; the run's start (host, pid), end, exit status, signal, duration and the tail of its combined
/// output go to the `job_runs` table. The wrapper returns the job's own exit status (128 + signal when a signal
/// ended it). It never makes the job fail: when the state database cannot be used the job still runs, and one
/// line on standard error says so.
public struct JobRunner: Sendable {
    public var job: String
    public var statePath: String
    public var host: String
    /// Seconds after which a hung job is sent SIGTERM, then SIGKILL after `killGrace`; nil for no limit.
    public var timeout: Double?
    public var killGrace: Double
    /// Lines of combined output kept in the record, and the byte bound on them.
    public var tailLines: Int
    public var tailBytes: Int
    /// How long to wait for a locked state database before running unrecorded.
    public var busyTimeout: Double
    /// Pass SIGTERM, SIGINT, SIGHUP and SIGQUIT received by this process on to the job. Installs process-wide
    /// handlers while the job runs, so only one forwarding runner may run at a time.
    public var forwardSignals: Bool
    /// Where the job's output goes; the process's own standard output and error by default.
    public var outputDescriptor: Int32
    public var errorDescriptor: Int32

    public init(job: String, statePath: String, host: String = JobRunner.hostName(), timeout: Double? = nil,
                killGrace: Double = 10, tailLines: Int = 50, tailBytes: Int = 16_384, busyTimeout: Double = 2,
                forwardSignals: Bool = true, outputDescriptor: Int32 = 1, errorDescriptor: Int32 = 2) {
        self.job = job
        self.statePath = statePath
        self.host = host
        self.timeout = timeout
        self.killGrace = killGrace
        self.tailLines = tailLines
        self.tailBytes = tailBytes
        self.busyTimeout = busyTimeout
        self.forwardSignals = forwardSignals
        self.outputDescriptor = outputDescriptor
        self.errorDescriptor = errorDescriptor
    }

    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `argv` (the command and its arguments) to completion; returns the status to exit with.
    public func run(_ argv: [String]) -> Int32 {
        guard let command = argv.first, !command.isEmpty else {
            say("factorwatch run: no command given (usage: factorwatch run --job NAME -- CMD [ARGS...])")
            return 2
        }
        // Writing to a closed output must not kill the wrapper; the job gets SIGPIPE back by default.
        signal(SIGPIPE, SIG_IGN)
        let recorder = JobRecorder(path: statePath, busyTimeout: busyTimeout) { say($0) }
        // Catch signals before the job exists, so none can kill the wrapper between spawning and recording.
        let forwarding = forwardSignals ? SignalForwarding() : nil
        defer { forwarding?.restore() }
        let startedAt = Date()
        let startClock = monotonicSeconds()

        let child: ChildProcess
        switch ChildProcess.spawn(argv) {
        case .success(let spawned):
            child = spawned
        case .failure(let error):
            say("factorwatch run: \(command): \(error.reason)")
            let termination = Termination(exitCode: error.exitCode, signal: nil)
            recorder.start(job: job, host: host, pid: nil, at: startedAt)
            recorder.end(at: startedAt, termination: termination, timedOut: false, outputTail: "")
            return termination.exitCode
        }
        recorder.start(job: job, host: host, pid: child.pid, at: startedAt)

        var pump = OutputPump(child: child, output: outputDescriptor, error: errorDescriptor,
                              tail: OutputTail(maxLines: tailLines, maxBytes: tailBytes))
        let result = pump.run(deadline: timeout.map { startClock + $0 }, killGrace: killGrace,
                              forwarding: forwarding)

        let finishedAt = startedAt.addingTimeInterval(monotonicSeconds() - startClock)
        recorder.end(at: finishedAt, termination: result.termination, timedOut: result.timedOut,
                     outputTail: pump.tail.text)
        if result.timedOut {
            say("factorwatch run: job \(job) timed out after \(formatDuration(seconds: timeout ?? 0)) and was killed")
        }
        return result.termination.exitCode
    }

    private func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { OutputPump.writeAll(errorDescriptor, $0) }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
