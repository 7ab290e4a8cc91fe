import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

/// Everything the command line says on standard error, worded here and only here, in one voice: the command, what
/// failed and on what, then what to do — `factorwatch report: --days 0 is not between 1 and 2000`. Problems the
/// library words itself (a configuration's `file:line:column`, the state database, the run lock, a channel's
/// answer) keep the library's words behind the command's name.
enum Message {
    /// `file:line:column: message`, bare, as editors and `check` read it.
    case configProblem(ConfigProblem)
    /// The library's own account of what stopped the command.
    case failed(command: String, Error)
    /// A problem that did not stop the command (a broken channel, a heartbeat, a crontab entry); it says so itself.
    case problem(command: String, String)
    /// An option's value that cannot be read: what was given, and the form that is expected.
    case unreadable(command: String, option: String, given: String, expected: Expected)
    case outOfRange(command: String, option: String, given: Int, range: ClosedRange<Int>, unit: String)
    /// Names given that the configuration does not have (rules, channels, jobs), with the ones it has.
    case unknown(command: String, kind: String, given: [String], known: [String])
    case fromAfterTo(command: String)
    case runWithoutCommand
    case jobNotConfigured(String)
    case runUnrecorded(job: String, problem: String)
    case testRoutesUnusable(configuration: String)
    case calendarWithoutFile
    case calendarUnchanged(Error, path: String)
    case channelFailed(channel: String, message: String, retryable: Bool, viaCurl: Bool)
    case collectorFailed(command: String, collector: String, message: String)
    case notMeasured(String)
    case noSilence(Int64)
    case cannotWrite(command: String, path: String, reason: String)
    /// `--format json` given to a command whose output has no JSON form.
    case textOnly(command: String, output: String)
    /// A line of `status` moved to standard error so that standard output stays one JSON document.
    case statusLine(String)

    /// The forms an option's value takes, each with an example.
    enum Expected: String {
        case time = "as a time; use ISO 8601, e.g. 2026-11-24T02:45:00+08:00"
        case date = "as a date; use YYYYMMDD or YYYY-MM-DD"
        case duration = "as a duration; use one such as 15m or 2h"
        case timeOfDay = "as a time of day; use HH:MM, e.g. 02:45"
        case zone = "as a time zone; use an IANA name such as Asia/Shanghai"
    }

    var text: String {
        switch self {
        case .configProblem(let problem): return problem.description
        case .failed(let command, let error): return Self.prefix(command) + "\(error)"
        case .problem(let command, let text): return Self.prefix(command) + text
        case .unreadable(let command, let option, let given, let expected):
            return Self.prefix(command) + "\(option): cannot read \"\(given)\" \(expected.rawValue)"
        case .outOfRange(let command, let option, let given, let range, let unit):
            return Self.prefix(command)
                + "\(option) \(given) is not between \(range.lowerBound) and \(range.upperBound)\(unit)"
        case .unknown(let command, let kind, let given, let known):
            let names = given.map { "\"\($0)\"" }.joined(separator: ", ")
            if given.count == 1, let near = nearestName(to: given[0], among: known) {
                return Self.prefix(command) + "unknown \(kind) \(names); did you mean \"\(near)\"?"
            }
            return Self.prefix(command) + "unknown \(kind) \(names); \(kind)s: "
                + (known.isEmpty ? "none configured" : known.joined(separator: ", "))
        case .fromAfterTo(let command):
            return Self.prefix(command) + "--from is after --to; give the earlier date to --from"
        default: return runText
        }
    }

    private var runText: String {
        switch self {
        case .runWithoutCommand:
            return "factorwatch run: no command to run; give it after --, e.g. factorwatch run --job update -- ./update.sh"
        case .jobNotConfigured(let job):
            return "factorwatch run: job \"\(job)\" is not under collectors.jobs; recording it anyway"
        case .runUnrecorded(let job, let problem):
            return "factorwatch run: configuration unusable (\(problem)); running \(job) unrecorded"
        case .testRoutesUnusable(let path):
            return "factorwatch test: the configuration \(path) does not load (its routes are the tests' routes); "
                + "fix it or pass --builtin-routes"
        case .calendarWithoutFile:
            return "factorwatch calendar update: the configuration has no calendar file (calendar: weekdays); set "
                + "calendar: { file: calendar/trade_cal.csv, tushare: { token_file: PATH } }"
        case .calendarUnchanged(let error, let path):
            return "factorwatch calendar update: \(error); \(path) is unchanged"
        case .channelFailed(let channel, let message, let retryable, let viaCurl):
            return "factorwatch notify-test: \(channel): FAILED\(retryable ? " (temporary)" : ""): \(message)"
                + (viaCurl ? "\n  via \(CurlLibrary.runtimeSummary)" : "")
        case .collectorFailed(let command, let collector, let message):
            return Self.prefix(command) + "collector \(collector) failed: \(message)"
        case .notMeasured(let failure):
            return "factorwatch history backfill: could not measure \(failure)"
        case .noSilence(let id):
            return "factorwatch silence expire: no silence #\(id); `factorwatch silence list --all` shows them"
        case .textOnly(let command, let output):
            return Self.prefix(command) + "--format json is not available: it \(output); leave --format out"
        case .cannotWrite(let command, let path, let reason):
            return Self.prefix(command) + "cannot write \(path): \(reason)"
        case .statusLine(let line): return line
        default: return text
        }
    }

    private static func prefix(_ command: String) -> String { "factorwatch \(command): " }
}

/// Says one message on standard error.
func say(_ message: Message) {
    printError(message.text)
}

/// Says every problem of a configuration that does not load, each as `file:line:column: message`.
func say(problemsOf error: ConfigurationError) {
    for problem in error.problems { say(.configProblem(problem)) }
}

/// One message on standard error, written whole.
func printError(_ message: String) {
    let text = message.hasSuffix("\n") ? message : message + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}
