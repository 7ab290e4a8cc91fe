import ArgumentParser
import FactorWatch

extension CrontabBlock.Format: ExpressibleByArgument {}

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Print the crontab lines for the configured jobs (wrapped in `factorwatch run`) and the evaluation.",
        discussion: """
            Job times are converted from the configured zone to the host's (cron runs jobs on the host's clock; \
            Debian's cron ignores CRON_TZ), with a comment saying until when that holds where a zone has daylight \
            saving time. A schedule that cannot be converted exactly is left out (commented) and the command exits 1.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Minutes between evaluations.", valueName: "minutes"))
    var every: Int = 5

    @Option(name: .long, help: ArgumentHelp("Where the evaluation's output is appended.", valueName: "path"))
    var evalLog: String?

    @Option(name: .long, help: ArgumentHelp("The factorwatch binary the lines call (default: this one).",
                                            valueName: "path"))
    var binary: String?

    @Option(name: .customLong("cron-format"), help: "crontab (a user's crontab) or cron.d (/etc/cron.d, with a user field).")
    var cronFormat: CrontabBlock.Format = .crontab

    @Flag(name: .long, help: "Same as --cron-format cron.d.")
    var cronD = false

    @Option(name: .long, help: ArgumentHelp("The user cron.d lines run as.", valueName: "name"))
    var user = "factorwatch"

    @Option(name: .long, help: ArgumentHelp("The zone the host's cron runs in (default: $TZ, /etc/timezone, /etc/localtime).",
                                            valueName: "zone"))
    var hostTimezone: String?

    @Flag(name: .long, help: "Keep the configured times and emit CRON_TZ, for a cron that honours it (cronie); Debian's does not.")
    var cronTz = false

    @Option(name: .long, help: ArgumentHelp("Convert with the zones' offsets at this time (ISO 8601), for tests.", valueName: "time"))
    var now: String?

    func run() throws {
        let loaded = try common.load()
        guard (1...59).contains(every) else {
            say(.outOfRange(command: "cron", option: "--every", given: every, range: 1...59, unit: " minutes"))
            throw ExitCode(2)
        }
        let format: CrontabBlock.Format = cronD ? .cronD : cronFormat
        var block = CrontabBlock(configuration: loaded.configuration, configPath: absolutePath(common.configPath),
                                 binary: binary ?? executablePath(), everyMinutes: every,
                                 evalLog: evalLog ?? (format == .cronD ? "/var/log/factorwatch/eval.log"
                                                                       : "/var/log/barra/monitor.log"))
        block.format = format
        block.user = user
        block.cronTZ = cronTz
        block.now = try parseNow(now, zone: loaded.configuration.zone, command: "cron")
        if let hostTimezone {
            do { block.hostZone = try TimeZoneRules(identifier: hostTimezone) } catch {
                say(.unreadable(command: "cron", option: "--host-timezone", given: hostTimezone, expected: .zone))
                throw ExitCode(2)
            }
        } else {
            block.hostZone = hostTimeZone(environment: currentEnvironment())
        }
        switch common.format {
        case .text: output(block.text)
        case .json: output(block.json)
        }
        for problem in block.problems { say(.problem(command: "cron", problem)) }
        if !block.problems.isEmpty { throw ExitCode(1) }
    }
}
