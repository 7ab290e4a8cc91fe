import ArgumentParser
import FactorWatch

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the whole configuration without running collectors.",
        discussion: "Every problem is printed as file:line:column: message. Exit 0 valid (warnings allowed), 2 invalid.")

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Load it with cron's environment (env -i plus HOME, LOGNAME, SHELL=/bin/sh, PATH=/usr/bin:/bin), as cron runs eval.")
    var cronEnv = false

    func run() throws {
        let loaded: LoadedConfiguration
        do throws(ConfigurationError) {
            loaded = try ConfigLoader.load(path: common.configPath,
                                           environment: cronEnv ? cronEnvironment() : currentEnvironment())
            // A broken channel lets everything else run, but the configuration is not valid.
            let broken = loaded.configuration.brokenChannels.flatMap(\.problems)
                + loaded.configuration.heartbeatProblems
            if !broken.isEmpty { throw ConfigurationError(loaded.warnings + broken) }
        } catch {
            switch common.format {
            case .json: output(CheckJSON(valid: false, problems: error.problems).json())
            case .text: for problem in error.problems { output(problem.description) }
            }
            throw ExitCode(2)
        }
        let configuration = loaded.configuration
        switch common.format {
        case .json:
            output(CheckJSON(valid: true, problems: loaded.warnings, libcurl: CurlLibrary.runtimeSummary,
                             configuration: configuration).json())
        case .text:
            for warning in loaded.warnings { output(warning.description) }
            output("\(configuration.file): OK — \(configuration.rules.count) rules, "
                   + "\(configuration.collectors.count) collectors, \(configuration.channels.count) channels"
                   + (loaded.warnings.isEmpty ? "" : ", \(loaded.warnings.count) warnings"))
            output("channels deliver through \(CurlLibrary.runtimeSummary)")
            output("routes:")
            for rule in configuration.rules {
                let steps = configuration.routing(of: rule)
                output("  \(rule.name) [\(rule.severity.rawValue)]: " + steps.joined(separator: "; "))
            }
        }
    }
}
