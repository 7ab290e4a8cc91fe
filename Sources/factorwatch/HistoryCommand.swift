import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The daily history of the factor files in the state database.",
        subcommands: [HistoryBackfillCommand.self])
}

struct HistoryBackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Measure the factor files already on disk and store each trading day's figures.",
        discussion: """
            Reads the files of every factor_quality collector, oldest first, one at a time, exactly as the \
            evaluations of their days would have measured them. Days already stored with the same figures are \
            left alone, so running it again is cheap. A progress bar is drawn only on a terminal.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Only files dated on or after this day (YYYYMMDD or YYYY-MM-DD).",
                                            valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601): files dated after its day are ignored.",
                                            valueName: "time"))
    var now: String?

    func run() throws {
        let configuration = try common.load().configuration
        let instant = try parseNow(now, zone: configuration.zone, command: "history backfill")
        var start: LocalDate?
        if let since {
            guard let date = LocalDate(String(since.filter { $0 != "-" })) else {
                say(.unreadable(command: "history backfill", option: "--since", given: since, expected: .date))
                throw ExitCode(2)
            }
            start = date
        }
        let summary: HistoryBackfill.Summary
        do {
            try makeParentDirectory(of: configuration.statePath)
            let store = try StateStore(path: configuration.statePath)
            let history = try HistoryStore(store: store)
            let bar = isatty(2) == 1 ? ProgressBar() : nil
            summary = try HistoryBackfill(configuration: configuration).run(since: start, now: instant, store: history) {
                bar?.show(done: $0, total: $1, label: $2.yyyymmdd)
            }
            bar?.finish()
        } catch {
            say(.failed(command: "history backfill", error))
            throw ExitCode(2)
        }
        for failure in summary.failed { say(.notMeasured(failure)) }
        let line = "history backfill: \(summary.written) day(s) stored, \(summary.unchanged) already stored, "
            + "\(summary.failed.count) file(s) not measurable"
        switch common.format {
        case .text: output(line)
        case .json: output(summary.json())
        }
        if !summary.failed.isEmpty { throw ExitCode(1) }
    }
}

/// `[#####.....] 120/250 20261119` redrawn in place on standard error.
final class ProgressBar {
    private var lastDrawn = -1

    func show(done: Int, total: Int, label: String) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        guard filled != lastDrawn || done == total else { return }
        lastDrawn = filled
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = "\r[\(bar)] \(done)/\(total) \(label)"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    func finish() {
        _ = "\n".withCString { write(2, $0, 1) }
    }
}
