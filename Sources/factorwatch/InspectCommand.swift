import ArgumentParser
import FactorWatch
import Parquet

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Per-column statistics of one factor file (Parquet or CSV), as pandas computes them.",
        discussion: "null_fraction is pandas isnull().mean(); mean, variance (ddof=1), std, min and max are over the finite values.")

    @Argument(help: "A Parquet or CSV file.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("Only these columns (comma-separated).", valueName: "a,b"))
    var columns: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let wanted = columns.map { $0.split(separator: ",").map { String($0).trimmed() } }
        let report: FileInspection
        do {
            report = try FileInspection(path: file, columns: wanted)
        } catch let error as FileInspection.InspectionError {
            // A column the file does not have is a usage error; a file that cannot be read is a failure.
            say(.failed(command: "inspect", error))
            throw ExitCode(2)
        } catch {
            say(.failed(command: "inspect", error))
            throw ExitCode(1)
        }
        output(format == .json ? report.json() : report.text())
    }
}
