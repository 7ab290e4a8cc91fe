import ArgumentParser
import FactorWatch

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the current rules over the stored history, day by day, and say what would have fired and been sent.",
        discussion: """
            Each trading day from --from to --to is evaluated at --at (default 23:00, configured zone) with that \
            day's stored figures and only the history up to it, through the same state machine, silences, \
            de-duplication and routes as eval, against a private state. Nothing is sent; the state database is \
            only read. Rules that read what the history does not keep (disk, logs, file ages) are listed as skipped.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("First day (YYYYMMDD or YYYY-MM-DD).", valueName: "date"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("Last day (YYYYMMDD or YYYY-MM-DD).", valueName: "date"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("Replay only this rule (repeatable).", valueName: "name"))
    var rule: [String] = []

    @Option(name: .long, help: ArgumentHelp("Local time of day each day is evaluated at.", valueName: "HH:MM"))
    var at: String = "23:00"

    func run() throws {
        let configuration = try common.load().configuration
        guard let first = replayDate(from, "--from"), let last = replayDate(to, "--to") else { throw ExitCode(2) }
        let parts = at.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), first <= last else {
            say(first > last ? .fromAfterTo(command: "replay")
                : .unreadable(command: "replay", option: "--at", given: at, expected: .timeOfDay))
            throw ExitCode(2)
        }
        let unknown = rule.filter { name in !configuration.rules.contains { $0.name == name } }
        guard unknown.isEmpty else {
            say(.unknown(command: "replay", kind: "rule", given: unknown, known: configuration.rules.map(\.name)))
            throw ExitCode(2)
        }
        let result: Replay.Result
        do {
            result = try Replay(configuration: configuration).run(
                from: first, to: last, rules: rule.isEmpty ? nil : Set(rule), hour: parts[0], minute: parts[1])
        } catch {
            say(.failed(command: "replay", error))
            throw ExitCode(2)
        }
        let summary = ReplaySummary(result: result, zone: configuration.zone)
        output(common.format == .json ? encodeJSON(ReplayJSON(summary)) : summary.text)
        if !result.ruleErrors.isEmpty { throw ExitCode(1) }
    }

    private func replayDate(_ text: String, _ option: String) -> LocalDate? {
        guard let date = LocalDate(String(text.filter { $0 != "-" })) else {
            say(.unreadable(command: "replay", option: option, given: text, expected: .date))
            return nil
        }
        return date
    }
}
