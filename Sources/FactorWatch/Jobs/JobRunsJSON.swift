#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `jobs --format json`: one job's recent runs.
public struct JobRunsJSON: Encodable {
    public struct Run: Encodable {
        var startedAt: String
        var finishedAt: String?
        var durationSeconds: Double?
        var exitCode: Int32?
        var signal: Int32?
        var timedOut: Bool
        var host: String
        var outputTail: String?

        enum CodingKeys: String, CodingKey {
            case startedAt = "started_at", finishedAt = "finished_at", durationSeconds = "duration_seconds"
            case exitCode = "exit_code", signal, timedOut = "timed_out", host, outputTail = "output_tail"
        }

        public init(_ run: JobRun, zone: TimeZoneRules) {
            startedAt = Timestamp.format(run.startedAt, in: zone)
            finishedAt = run.finishedAt.map { Timestamp.format($0, in: zone) }
            durationSeconds = run.finishedAt.map { $0.timeIntervalSince(run.startedAt) }
            exitCode = run.exitCode
            signal = run.signal
            timedOut = run.timedOut
            host = run.host
            outputTail = run.outputTail
        }

        /// `2026-11-24T02:30:00+08:00  took 4m12s  exit 0  on risk-1`.
        public var line: String {
            guard let durationSeconds else { return "\(startedAt)  started, not finished  on \(host)" }
            var text = "\(startedAt)  took \(formatDuration(seconds: durationSeconds))  exit \(exitCode ?? -1)"
            if let signal { text += " (signal \(signal))" }
            if timedOut { text += " (timed out)" }
            return text + "  on \(host)"
        }
    }

    var name: String
    var runs: [Run]

    public init(name: String, runs: [JobRun], zone: TimeZoneRules) {
        self.name = name
        self.runs = runs.map { Run($0, zone: zone) }
    }
}

extension JobRunsJSON {
    public static func json(_ jobs: [JobRunsJSON]) -> String { encodeJSON(jobs) }
}
