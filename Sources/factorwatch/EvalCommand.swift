import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run the collectors, evaluate the rules, update alert state and send notifications.",
        discussion: "The cron entry point. Exit 0 ran; 1 a collector failed or a notification stayed queued; 2 bad configuration.")

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Read the state but write nothing and send nothing; print every notification it would send.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601), for tests and replays.", valueName: "time"))
    var now: String?

    @Option(name: .long, help: ArgumentHelp("Evaluate only this rule (repeatable).", valueName: "name"))
    var rule: [String] = []

    @Flag(name: .long, help: "Exit with the Nagios code of the worst firing severity (0 none/low, 1 medium/high, 2 critical, 3 unknown).")
    var nagios = false

    @Flag(name: .long, help: "Also show, per rule, each series' value against its threshold and why it did or did not fire.")
    var explain = false

    @Option(name: .long, help: ArgumentHelp("Also write the observations, alerts and run figures as a Prometheus textfile (for node_exporter).", valueName: "path"))
    var textfile: String?

    @Flag(name: .long, help: "Accept that rule files loaded by the last run are gone: resolve their alerts instead of keeping them.")
    var acceptRuleChanges = false

    func run() throws {
        try EvalInvocation(config: common.config, format: common.format, dryRun: dryRun, now: now, rule: rule,
                    nagios: nagios, explain: explain, textfile: textfile, acceptRuleChanges: acceptRuleChanges).run()
    }
}

/// One `eval`, from its options' values (parsed by `EvalCommand`, or by `FastArguments` for the cron line).
struct EvalInvocation {
    var config: String?
    var format: OutputFormat = .text
    var dryRun = false
    var now: String?
    var rule: [String] = []
    var nagios = false
    var explain = false
    var textfile: String?
    var acceptRuleChanges = false

    func run() throws {
        let loaded = try loadConfiguration(config, cache: dryRun ? .readOnly : .readWrite)
        var configuration = loaded.configuration
        // Standard output carries the JSON report; a log channel writing there goes to standard error.
        if format == .json { configuration = configuration.loggingToStandardError() }
        let instant = try parseNow(now, zone: configuration.zone, command: "eval")
        let unknown = rule.filter { name in !configuration.rules.contains { $0.name == name } }
        if !unknown.isEmpty {
            say(.unknown(command: "eval", kind: "rule", given: unknown, known: configuration.rules.map(\.name)))
            throw ExitCode(2)
        }
        let report: EvaluationReport
        let started = ContinuousClock.now
        let heartbeat = HeartbeatPinger(configuration, dryRun: dryRun)
        heartbeat.start()
        do {
            report = try Evaluator(configuration: configuration)
                .run(now: instant, dryRun: dryRun, rules: rule.isEmpty ? nil : Set(rule),
                     acceptRuleChanges: acceptRuleChanges)
            if !dryRun, let path = textfile ?? configuration.textfile {
                try TextfileExport.write(report, configuration: configuration, since: started, to: path)
            }
        } catch let error as StateStoreError {
            // An unusable state database is a configuration problem: nothing was evaluated or changed.
            say(.failed(command: "eval", error))
            heartbeat.finish(exitCode: 2, problems: ["\(error)"])
            throw ExitCode(nagios ? 3 : 2)
        } catch {
            say(.failed(command: "eval", error))
            heartbeat.finish(exitCode: 1, problems: ["\(error)"])
            throw ExitCode(nagios ? 3 : 1)
        }
        if explain {
            let explanations = RuleExplanation.explain(report, configuration: configuration,
                                                       rules: rule.isEmpty ? nil : Set(rule))
            output(format == .json ? report.json(explaining: explanations) : report.text(explaining: explanations))
        } else {
            output(format == .json ? report.json() : report.text())
        }
        var code = nagios ? report.nagiosCode : report.exitCode
        // A broken channel fails alone: everything else ran, but the run is not clean.
        for broken in configuration.brokenChannels {
            say(.problem(command: "eval", "channel \(broken.name) cannot send: \(broken.reason)"))
            if !nagios { code = max(code, 1) }
        }
        for problem in configuration.heartbeatProblems {
            say(.problem(command: "eval", problem.description))
            if !nagios { code = max(code, 1) }
        }
        // Under --nagios the exit code grades the alerts; the heartbeat still reports whether the run was clean.
        let problems = report.problems(configuration)
        heartbeat.finish(exitCode: nagios ? (problems.isEmpty ? 0 : 1) : code, problems: problems)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `--now`, or the real clock.
func parseNow(_ text: String?, zone: TimeZoneRules, command: String) throws -> Date {
    guard let text else { return Date() }
    guard let date = Timestamp.parse(text, in: zone) else {
        say(.unreadable(command: command, option: "--now", given: text, expected: .time))
        throw ExitCode(2)
    }
    return date
}
