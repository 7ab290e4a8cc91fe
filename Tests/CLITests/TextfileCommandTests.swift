import Foundation
import Testing

let nodeExporterBinary = "/usr/bin/prometheus-node-exporter"
let promtoolBinary = "/usr/bin/promtool"

/// Whether the tests needing `path` run: always under CI (a missing program then fails), elsewhere when installed.
func exportToolsAvailable(_ paths: String...) -> Bool {
    ProcessInfo.processInfo.environment["CI"] == "true"
        || paths.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A free port on 127.0.0.1, as the kernel hands one out to Python (bound, read and released).
func freeLoopbackPort() throws -> Int {
    let result = try runProgram(["python3", "-c", "import socket; s = socket.socket(); "
                                          + "s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
    return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
}

/// A GET read by Python's urllib; nil until the server answers.
func httpGet(_ url: String) -> String? {
    guard let result = try? runProgram([
        "python3", "-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], "
            + "timeout=5).read().decode())", url,
    ]), result.status == 0 else { return nil }
    return result.stdout
}

/// `name{labels}` → value of every sample line of an exposition.
func samples(_ exposition: String) -> [String: Double] {
    var result: [String: Double] = [:]
    for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        let value = String(line[line.index(after: space)...])
        // node_exporter gives every series of a family the same label names, the missing ones empty (the same
        // series for Prometheus).
        let series = String(line[..<space]).replacing(#/[a-zA-Z_][a-zA-Z0-9_]*="",?/#, with: "")
            .replacingOccurrences(of: ",}", with: "}").replacingOccurrences(of: "{}", with: "")
        result[series] = value == "NaN" ? .nan : Double(value.replacingOccurrences(of: "+Inf", with: "inf"))
    }
    return result
}

@Suite(.enabled(if: exportToolsAvailable(nodeExporterBinary, promtoolBinary),
                "prometheus-node-exporter or promtool is not installed"))
struct TextfileCommandTests {
    let now = "2026-11-24T02:45:00+08:00"

    @Test func nodeExporterServesTheTextfileAndPromtoolAcceptsIt() throws {
        let scratch = Scratch()
        let textfiles = scratch.path + "/textfiles"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        let config = scratch.demoConfiguration()
        let eval = try factorwatch(["eval", "--config", config, "--now", now, "--textfile", textfiles + "/fw.prom"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let text = try String(contentsOfFile: textfiles + "/fw.prom", encoding: .utf8)
        #expect(text.contains("# TYPE ALERTS gauge\n"))
        #expect(text.contains("factorwatch_last_eval_timestamp_seconds 1795459500\n"))

        // promtool reads the exposition from standard input, parses it (exit 1 on a format error) and lints the
        // names (exit 3): every name must pass, the renamed observations among them.
        let check = try runProgram(["/bin/sh", "-c", "\(promtoolBinary) check metrics < '\(textfiles)/fw.prom'"])
        #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")
        #expect(text.contains("\nfactorwatch_factor_files_dated{dir="))
        #expect(text.contains("\nfactorwatch_factor_file_age_trading_sessions{dir="))
        #expect(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.allSatisfy {
            !$0.contains("_count") && !$0.contains("_days")
        })
        let observed = try factorwatch(["observe", "--config", config, "--now", now])
        let days = try #require(observed.stdout.split(separator: "\n").first { $0.hasPrefix("factor_file_age_days{") })
        let seconds = try #require(text.split(separator: "\n").first { $0.hasPrefix("factorwatch_factor_file_age_seconds{") })
        #expect(Double(seconds.split(separator: " ").last!) == Double(days.split(separator: " ").last!)! * 86_400)

        let port = try freeLoopbackPort()
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: nodeExporterBinary)
        exporter.arguments = ["--collector.disable-defaults", "--collector.textfile",
                              "--collector.textfile.directory=\(textfiles)", "--web.listen-address=127.0.0.1:\(port)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer {
            kill(exporter.processIdentifier, SIGKILL)
            exporter.waitUntilExit()
        }
        var metrics: String?
        let deadline = Date().addingTimeInterval(15)
        while metrics == nil, Date() < deadline, exporter.isRunning {
            metrics = httpGet("http://127.0.0.1:\(port)/metrics")
            if metrics == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let served = try #require(metrics, "node_exporter did not answer")
        #expect(served.contains("node_textfile_scrape_error 0"))
        #expect(served.contains(#"ALERTS{alertname="FactorDataStale",alertstate="firing""#))
        #expect(served.contains(#"factorwatch_collector_up{collector="factor_files"} 1"#))
        #expect(served.contains("factorwatch_eval_duration_seconds "))
        #expect(served.contains("factorwatch_notifications_queued 0"))
        // Every sample of the file is served, with the same value (node_exporter writes numbers its own way).
        let servedSamples = samples(served)
        for (series, value) in samples(text) {
            #expect(servedSamples[series] == value, "\(series): file \(value), served \(servedSamples[series] ?? .nan)")
        }
    }

    @Test func theConfigurationKeyWritesItTooAndADryRunDoesNot() throws {
        let scratch = Scratch()
        let path = scratch.path + "/fw.prom"
        let config = scratch.demoConfiguration(extra: "textfile: \(path)\n")
        let dry = try factorwatch(["eval", "--config", config, "--now", now, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
        let eval = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("factorwatch_factor_files_dated"))
    }
}
