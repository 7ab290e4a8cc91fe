import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct ObserveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observe",
        abstract: "Run the collectors and print their observations; evaluates no rule and changes no state.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601).", valueName: "time"))
    var now: String?

    func run() throws {
        let configuration = try common.load().configuration
        let instant = try parseNow(now, zone: configuration.zone, command: "observe")
        let context = CollectionContext(now: instant, zone: configuration.zone, calendar: configuration.calendar)
        let result = CollectorRunner.run(configuration.collectors, context: context,
                                            budget: configuration.collectorTimeout)
        switch common.format {
        case .json:
            output(ObservationsJSON(observations: result.observations, errors: result.errors).json())
        case .text:
            for observation in result.observations { output(observation.description) }
            for error in result.errors { say(.collectorFailed(command: "observe", collector: error.collector, message: error.message)) }
        }
        if !result.errors.isEmpty { throw ExitCode(1) }
    }
}
