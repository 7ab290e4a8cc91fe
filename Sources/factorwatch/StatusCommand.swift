import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The morning health check: factor data, disk, jobs, active alerts, silences, undelivered notices.",
        discussion: "Reads only: runs the collectors and the state database without changing either.")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Pin the clock (ISO 8601).", valueName: "time"))
    var now: String?

    func run() throws {
        let configuration = try common.load().configuration
        let instant = try parseNow(now, zone: configuration.zone, command: "status")
        let report: StatusReport
        do {
            report = try StatusReport(configuration: configuration, now: instant)
        } catch {
            say(.failed(command: "status", error))
            throw ExitCode(2)
        }
        for broken in configuration.brokenChannels {
            let line = "BROKEN  channel \(broken.name): \(broken.reason)"
            if common.format == .json { say(.statusLine(line)) } else { output(line) }
        }
        switch common.format {
        case .json: output(report.json())
        case .text:
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            output(report.text(colour: isatty(1) == 1 && term != "dumb" && getenv("NO_COLOR") == nil))
        }
    }
}
