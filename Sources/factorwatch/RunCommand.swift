import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline job as a cron wrapper and record it: start, end, exit status, duration, output tail.",
        discussion: """
            The job's output passes through unchanged and factorwatch exits with the job's own status (128+N after \
            signal N). If the configuration or the state database cannot be used, the job runs anyway, unrecorded, \
            with one line on standard error.
            Example: factorwatch run --job incremental_update -- python /opt/barra/incremental.py
            """)

    @Option(name: .long, help: ArgumentHelp("A directory holding factorwatch.yaml, or the file itself.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The job's name, as under collectors.jobs.", valueName: "name"))
    var job: String

    @Option(name: .long, help: ArgumentHelp("Stop the job after this long (15m, 2h): SIGTERM, then SIGKILL.",
                                            valueName: "duration"))
    var timeout: String?

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
    var command: [String] = []

    func run() throws {
        var argv = command
        if argv.first == "--" { argv.removeFirst() }
        try RunInvocation(config: config, job: job, timeout: timeout, command: argv).run()
    }
}

/// One `run`, from its options' values (parsed by `RunCommand`, or by `FastArguments` for the cron line);
/// `command` is the job's command line, after `--`.
struct RunInvocation {
    var config: String?
    var job: String
    var timeout: String?
    var command: [String]

    func run() throws {
        let argv = command
        guard !argv.isEmpty else {
            say(.runWithoutCommand)
            throw ExitCode(2)
        }
        var statePath = ""
        var configuredTimeout: Double?
        var lockTimeout = 2.0
        let path = resolveConfigPath(config)
        do {
            let configuration = try ConfigLoader.load(path: path, environment: currentEnvironment(),
                                                      cache: .readWrite).configuration
            statePath = configuration.statePath
            // Another process's write lock is waited for (at most a minute), not a reason to lose the record.
            lockTimeout = min(configuration.lockTimeout, 60)
            configuredTimeout = configuration.jobs.first { $0.name == job }?.timeout
            if !configuration.jobs.isEmpty && !configuration.jobs.contains(where: { $0.name == job }) {
                say(.jobNotConfigured(job))
            }
        } catch {
            say(.runUnrecorded(job: job, problem: error.problems.first?.description ?? "\(error)"))
        }
        var limit = configuredTimeout
        if let timeout {
            guard let seconds = parseDuration(timeout), seconds > 0 else {
                say(.unreadable(command: "run", option: "--timeout", given: timeout, expected: .duration))
                throw ExitCode(2)
            }
            limit = seconds
        }
        if !statePath.isEmpty { try? makeParentDirectory(of: statePath) }
        // No state path when the configuration is unusable: the job runs unrecorded (said above), with no
        // made-up database path in a message.
        let status = JobRunner(job: job, statePath: statePath, timeout: limit, busyTimeout: lockTimeout).run(argv)
        throw ExitCode(status)
    }
}
