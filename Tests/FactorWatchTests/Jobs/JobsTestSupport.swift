import Foundation
import Testing

@testable import FactorWatch

/// A job runner writing the job's output to files in a scratch directory instead of the test's own streams.
struct WrappedJob {
    let dir = TemporaryDirectory("factorwatch-jobs")
    var statePath: String { dir.file("state.db") }
    var outputPath: String { dir.file("stdout") }
    var errorPath: String { dir.file("stderr") }

    /// Runs `argv` through a `JobRunner`; returns the exit status the wrapper would exit with.
    func run(_ argv: [String], job: String = "incremental_update", statePath: String? = nil, timeout: Double? = nil,
             killGrace: Double = 1, busyTimeout: Double = 2, forwardSignals: Bool = false,
             tailLines: Int = 50) -> Int32 {
        let out = open(outputPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let err = open(errorPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer {
            close(out)
            close(err)
        }
        let runner = JobRunner(job: job, statePath: statePath ?? self.statePath, host: "testhost", timeout: timeout,
                               killGrace: killGrace, tailLines: tailLines, busyTimeout: busyTimeout,
                               forwardSignals: forwardSignals, outputDescriptor: out, errorDescriptor: err)
        return runner.run(argv)
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    func runs(_ job: String = "incremental_update") throws -> [JobRun] {
        try StateStore(path: statePath, readOnly: true).jobRuns(job: job)
    }
}
