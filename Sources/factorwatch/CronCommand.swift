import ArgumentParser
import FactorWatch

struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Print the crontab lines for the configured jobs (wrapped in `factorwatch run`) and the evaluation.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Minutes between evaluations.", valueName: "minutes"))
    var every: Int = 5

    @Option(name: .long, help: ArgumentHelp("Where the evaluation's output is appended.", valueName: "path"))
    var evalLog: String = "/var/log/barra/monitor.log"

    @Option(name: .long, help: ArgumentHelp("The factorwatch binary the lines call (default: this one).",
                                            valueName: "path"))
    var binary: String?

    func run() throws {
        let loaded = try common.load()
        guard (1...59).contains(every) else {
            printError("--every must be between 1 and 59 minutes")
            throw ExitCode(2)
        }
        output(CrontabBlock(configuration: loaded.configuration, configPath: absolutePath(common.configPath),
                            binary: binary ?? executablePath(), everyMinutes: every, evalLog: evalLog).text)
    }
}
