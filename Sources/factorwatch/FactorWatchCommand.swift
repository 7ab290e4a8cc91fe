import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

@main
struct FactorWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factorwatch",
        abstract: "Rule-driven alerting for a daily factor-model pipeline.",
        discussion: """
            Exit codes: 0 ran (alerts firing or not); 1 ran, but a collector failed or a notification is still \
            queued; 2 configuration or usage error (nothing evaluated, no state changed, nothing sent).
            """,
        version: FactorWatchVersion.current,
        subcommands: [EvalCommand.self, CheckCommand.self, ObserveCommand.self, InspectCommand.self, AlertsCommand.self, SilenceCommand.self, AckCommand.self, NotifyTestCommand.self, RunCommand.self, CronCommand.self, SystemdCommand.self, StatusCommand.self,
                      TestCommand.self, CalendarCommand.self, JobsCommand.self, HistoryCommand.self, ReplayCommand.self,
                      ReportCommand.self]
    )

    /// Usage errors exit 2 (SPEC §2), not the parser's default 64.
    static func main() {
        do {
            switch FastArguments.invocation(Array(CommandLine.arguments.dropFirst())) {
            case .eval(let eval)?: try eval.run()
            case .run(let job)?: try job.run()
            case nil:
                var command = try parseAsRoot()
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                FactorWatchCommand.exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Glibc.exit(code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}
