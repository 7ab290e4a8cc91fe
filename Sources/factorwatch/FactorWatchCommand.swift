import ArgumentParser
import FactorWatch

@main
struct FactorWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factorwatch",
        abstract: "Rule-driven alerting for a daily factor-model pipeline."
    )
}
