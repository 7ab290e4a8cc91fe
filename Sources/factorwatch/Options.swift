import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--config` and `--format`, shared by every command.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A directory holding factorwatch.yaml, or the file itself. Default: $FACTORWATCH_CONFIG, else /etc/factorwatch.",
        valueName: "path"))
    var config: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    var configPath: String { resolveConfigPath(config) }

    /// For a command whose output has only one form: `--format json` is a usage error (exit 2), never ignored.
    func requireText(command: String, output: String) throws {
        guard format == .text else {
            say(.textOnly(command: command, output: output))
            throw ExitCode(2)
        }
    }

    /// Loads the configuration or exits 2 with every problem as `file:line:column: message`.
    func load() throws -> LoadedConfiguration {
        try loadConfiguration(config)
    }
}

/// Loads the configuration `--config` names (see `resolveConfigPath`), with its rule files' cache as `cache`
/// says, or exits 2 with every problem as
/// `file:line:column: message`.
func loadConfiguration(_ config: String?, cache: RuleFileCaching = .off) throws -> LoadedConfiguration {
    do {
        return try ConfigLoader.load(path: resolveConfigPath(config), environment: currentEnvironment(), cache: cache)
    } catch {
        say(problemsOf: error)
        throw ExitCode(2)
    }
}

/// `--config`, else $FACTORWATCH_CONFIG, else /etc/factorwatch.
func resolveConfigPath(_ config: String?) -> String {
    if let config { return config }
    if let value = getenv("FACTORWATCH_CONFIG") { return String(cString: value) }
    return "/etc/factorwatch"
}

func currentEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

/// The environment cron gives a job: nothing of the shell's, only these (Debian cron; PATH as cron sets it).
func cronEnvironment() -> [String: String] {
    var environment = ["SHELL": "/bin/sh", "PATH": "/usr/bin:/bin"]
    if let entry = getpwuid(geteuid())?.pointee {
        environment["HOME"] = String(cString: entry.pw_dir)
        environment["LOGNAME"] = String(cString: entry.pw_name)
    }
    return environment
}

func output(_ text: String) {
    print(text)
}
