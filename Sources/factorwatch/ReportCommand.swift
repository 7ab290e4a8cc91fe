import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page: status, every factor's last trading days, jobs, alerts.",
        discussion: """
            The page has no script and loads nothing: charts are inline SVG, so it opens offline, in a mail \
            client and on a phone. Reads the state database and the factor files; changes nothing.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("A .html file, or a directory to write factorwatch-report.html into.",
                                            valueName: "path"))
    var out: String

    @Option(name: .long, help: "Trading days shown per factor.")
    var days: Int = 60

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601).", valueName: "time"))
    var now: String?

    func run() throws {
        try common.requireText(command: "report", output: "writes one HTML page")
        let configuration = try common.load().configuration
        let instant = try parseNow(now, zone: configuration.zone, command: "report")
        guard (1...2_000).contains(days) else {
            say(.outOfRange(command: "report", option: "--days", given: days, range: 1...2_000, unit: ""))
            throw ExitCode(2)
        }
        var isDirectory = false
        var status = stat()
        if stat(out, &status) == 0 { isDirectory = (status.st_mode & S_IFMT) == S_IFDIR }
        let path = isDirectory || out.hasSuffix("/") ? (out.hasSuffix("/") ? out : out + "/") + "factorwatch-report.html"
            : out
        do {
            let html = try ReportPage(configuration: configuration, now: instant, days: days).render()
            try TextfileExport.writeAtomically(html, to: path)
        } catch {
            say(.failed(command: "report", error))
            throw ExitCode(2)
        }
        output(path)
    }
}
