import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Maintain the exchange's trading calendar file.",
        subcommands: [CalendarUpdateCommand.self])
}

struct CalendarUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Fetch the exchange calendar from Tushare (trade_cal) and replace the calendar file atomically.",
        discussion: """
            Reads calendar.file, calendar.exchange (default SSE) and calendar.tushare (url, token_file or \
            token_env) from factorwatch.yaml. The file is replaced only by a complete answer that covers today and \
            does not end before the old file; on any error the old file is kept and the exit status is 1. \
            Exit 2 for a configuration problem.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("First day to fetch (YYYYMMDD). Default: 1 January of last year.",
                                            valueName: "date"))
    var start: String?

    @Option(name: .long, help: ArgumentHelp("Last day to fetch (YYYYMMDD). Default: 31 December of next year.",
                                            valueName: "date"))
    var end: String?

    @Flag(name: .long, help: "Replace the file even when the answer covers less than it or misses today.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601), for tests.", valueName: "time"))
    var now: String?

    func run() throws {
        let environment = currentEnvironment()
        let settings: CalendarSettings
        let zone: TimeZoneRules
        do {
            (settings, zone) = try CalendarSettings.read(configPath: common.configPath, environment: environment)
        } catch {
            say(problemsOf: error)
            throw ExitCode(2)
        }
        guard let path = settings.file else {
            say(.calendarWithoutFile)
            throw ExitCode(2)
        }
        let tushare = settings.tushare ?? TushareSettings()
        let today = zone.localDate(try parseNow(now, zone: zone, command: "calendar update"))
        guard let first = try day(start, "--start", default: LocalDate(year: today.year - 1, month: 1, day: 1)),
              let last = try day(end, "--end", default: LocalDate(year: today.year + 1, month: 12, day: 31)) else { return }
        let exchange = settings.exchange ?? "SSE"
        let result: CalendarUpdateResult
        do {
            let token = try tushare.token(environment: environment)
            do { try makeParentDirectory(of: path) } catch { throw CalendarUpdateError("\(error)") }
            result = try TushareCalendar.update(path: path, exchange: exchange, settings: tushare, token: token,
                                                from: first, to: last, today: today, force: force)
        } catch {
            say(.calendarUnchanged(error, path: path))
            throw ExitCode(1)
        }
        switch common.format {
        case .text:
            var line = "\(path): \(result.exchange) \(result.covered.lowerBound.yyyymmdd)–"
                + "\(result.covered.upperBound.yyyymmdd), \(result.days) days, \(result.openDays) open"
            if let previous = result.previous {
                line += " (was \(previous.lowerBound.yyyymmdd)–\(previous.upperBound.yyyymmdd))"
            }
            output(line)
        case .json:
            output(result.json())
        }
    }

    private func day(_ text: String?, _ option: String, default value: LocalDate) throws -> LocalDate? {
        guard let text else { return value }
        guard let parsed = LocalDate(text) else {
            say(.unreadable(command: "calendar update", option: option, given: text, expected: .date))
            throw ExitCode(2)
        }
        return parsed
    }
}
