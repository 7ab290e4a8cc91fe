import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Recent runs of the pipeline's jobs, with the tail of their output.",
        discussion: """
            Without NAME: every configured job (and any other job with recorded runs) with its latest runs; the \
            output tail is shown for a run that did not exit 0. With NAME: that job's runs, each with its stored \
            output tail. Reads only. Exit 2 for an unknown job or an unreadable state database.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "A job's name (as under collectors.jobs).")
    var name: String?

    @Option(name: .long, help: "How many runs per job (default: 10 with NAME, else 3).")
    var limit: Int?

    func run() throws {
        let configuration = try common.load().configuration
        let zone = configuration.zone
        let runs: [(name: String, runs: [JobRun])]
        do {
            runs = try recordedRuns(configuration)
        } catch {
            say(.failed(command: "jobs", error))
            throw ExitCode(2)
        }
        switch common.format {
        case .json:
            output(JobRunsJSON.json(runs.map { JobRunsJSON(name: $0.name, runs: $0.runs, zone: zone) }))
        case .text:
            output(runs.map { text(job: $0.name, runs: $0.runs, zone: zone) }.joined(separator: "\n\n"))
        }
    }

    private func recordedRuns(_ configuration: Configuration) throws -> [(name: String, runs: [JobRun])] {
        let exists = (try? FileSystem.status(configuration.statePath)) != nil
        let store = exists ? try StateStore(path: configuration.statePath, readOnly: true,
                                                 busyTimeout: configuration.lockTimeout) : nil
        var names = configuration.jobs.map(\.name)
        for other in try store?.jobNames() ?? [] where !names.contains(other) { names.append(other) }
        if let name {
            guard names.contains(name) else {
                say(.unknown(command: "jobs", kind: "job", given: [name], known: names))
                throw ExitCode(2)
            }
            names = [name]
        }
        let count = max(1, limit ?? (name == nil ? 3 : 10))
        return try names.map { job in (job, try store?.jobRuns(job: job, limit: count) ?? []) }
    }

    private func text(job: String, runs: [JobRun], zone: TimeZoneRules) -> String {
        var lines = [job + (runs.isEmpty ? ": no run recorded yet (new: wrap its crontab line with factorwatch run)"
                                         : "")]
        for run in runs {
            lines.append("  " + JobRunsJSON.Run(run, zone: zone).line)
            let showTail = name != nil || (run.isFinished && run.exitCode != 0)
            if showTail, let tail = run.outputTail, !tail.isEmpty {
                lines += tail.split(separator: "\n", omittingEmptySubsequences: false).map { "    | " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}
