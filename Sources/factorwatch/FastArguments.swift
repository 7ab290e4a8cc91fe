/// The two command lines cron runs every few minutes, `eval` and `run`, read without building the whole command
/// tree. Only a plain spelling is taken: each option as its own word followed by its value, no `--name=value`, no
/// value that starts with `-`, no option given twice (but `--rule`), no help, no version. Anything else, right or
/// wrong, returns nil and goes to the full parser, so help, errors, suggestions and exit codes stay its own.
enum FastArguments {
    enum Invocation {
        case eval(EvalInvocation)
        case run(RunInvocation)
    }

    /// `arguments` without the program's name.
    static func invocation(_ arguments: [String]) -> Invocation? {
        guard let first = arguments.first else { return nil }
        let rest = arguments.dropFirst()
        switch first {
        case "eval": return eval(rest).map(Invocation.eval)
        case "run": return run(rest).map(Invocation.run)
        default: return nil
        }
    }

    static func eval(_ arguments: ArraySlice<String>) -> EvalInvocation? {
        var result = EvalInvocation()
        var seen: Set<String> = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            guard word == "--rule" || seen.insert(word).inserted else { return nil }
            switch word {
            case "--dry-run": result.dryRun = true
            case "--nagios": result.nagios = true
            case "--explain": result.explain = true
            case "--accept-rule-changes": result.acceptRuleChanges = true
            case "--config", "--format", "--now", "--rule", "--textfile":
                index += 1
                guard let value = value(arguments, at: index) else { return nil }
                switch word {
                case "--config": result.config = value
                case "--now": result.now = value
                case "--rule": result.rule.append(value)
                case "--textfile": result.textfile = value
                default:
                    guard let format = OutputFormat(rawValue: value) else { return nil }
                    result.format = format
                }
            default: return nil
            }
            index += 1
        }
        return result
    }

    /// `run --job NAME [--config PATH] [--timeout DURATION] -- COMMAND...`.
    static func run(_ arguments: ArraySlice<String>) -> RunInvocation? {
        var options: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let word = arguments[index]
            guard ["--config", "--job", "--timeout"].contains(word), options[word] == nil,
                  let value = value(arguments, at: index + 1) else { return nil }
            options[word] = value
            index += 2
        }
        let command = Array(arguments[min(index + 1, arguments.endIndex)...])
        guard index < arguments.endIndex, let job = options["--job"], let program = command.first,
              !program.hasPrefix("-") else { return nil }
        return RunInvocation(config: options["--config"], job: job, timeout: options["--timeout"], command: command)
    }

    /// The value after an option: a word that is there, not empty, and cannot be read as an option.
    private static func value(_ arguments: ArraySlice<String>, at index: Int) -> String? {
        guard index < arguments.endIndex else { return nil }
        let value = arguments[index]
        return value.isEmpty || value.hasPrefix("-") ? nil : value
    }
}
