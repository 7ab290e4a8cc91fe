import Foundation
import FactorWatch

/// One generated expression with factorwatch's answer: its series, or the evaluation error it raised.
struct DifferentialCase {
    var name: String
    var expression: String
    var samples: [Sample]
    var error: String?
}

/// Writes the one rule file and the one test file promtool checks all cases with, runs it, and reads its report.
enum PromtoolFiles {
    /// `promtool` from Debian's `prometheus` package, or the first one on PATH.
    static let executable: String? = {
        let candidates = ["/usr/bin/promtool"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/promtool" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A float as Go's `fmt` prints it with `%v` (which is what `{{ $value }}` renders in an annotation):
    /// the shortest digits that round-trip, in exponent form below 1e-4 and from 1e6 up.
    static func goFormat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description also prints the shortest round-tripping digits; only the layout differs.
        let text = "\(Swift.abs(value))"
        let parts = text.split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        var decimalPoint = point + exponent
        while digits.first == "0" {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let x = decimalPoint - 1
        if x < -4 || x >= 6 {
            let rest = digits.count > 1 ? "." + String(digits[1...]) : ""
            let magnitude = Swift.abs(x) < 10 ? "0\(Swift.abs(x))" : "\(Swift.abs(x))"
            return sign + String(digits[0]) + rest + "e" + (x < 0 ? "-" : "+") + magnitude
        }
        if decimalPoint <= 0 { return sign + "0." + String(repeating: "0", count: -decimalPoint) + String(digits) }
        if decimalPoint >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: decimalPoint - digits.count)
        }
        return sign + String(digits[..<decimalPoint]) + "." + String(digits[decimalPoint...])
    }

    /// A YAML single-quoted scalar.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    static func seriesText(_ series: DifferentialGenerator.Series) -> String {
        let labels = series.labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
        return series.metric + (labels.isEmpty ? "" : "{\(labels)}")
    }

    static func inputValue(_ value: Double) -> String {
        value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "+Inf" : "-Inf") : goFormat(value)
    }

    /// Every case that evaluated becomes an alerting rule whose expected alerts are factorwatch's series; every
    /// case that failed becomes a PromQL expression test, which promtool must report as an evaluation error.
    static func write(_ cases: [DifferentialCase], series: [DifferentialGenerator.Series], to directory: String)
        throws -> String
    {
        var rules = ["groups:", "- name: differential", "  rules:"]
        var test = ["rule_files: [rules.yaml]", "evaluation_interval: 1m", "tests:", "- interval: 1m",
                    "  input_series:"]
        for item in series {
            test.append("  - {series: \(quoted(seriesText(item))), values: '\(inputValue(item.value))'}")
        }
        test.append("  alert_rule_test:")
        for item in cases where item.error == nil {
            rules += ["  - alert: \(item.name)", "    expr: \(quoted(item.expression))",
                      "    annotations: {value: '{{ $value }}'}"]
            test += ["  - eval_time: 0m", "    alertname: \(item.name)"]
            if item.samples.isEmpty { test.append("    exp_alerts: []") } else { test.append("    exp_alerts:") }
            for sample in item.samples {
                let labels = sample.labels.map { "\($0.name): \(quoted($0.value))" }.joined(separator: ", ")
                test += ["    - exp_labels: {\(labels)}",
                         "      exp_annotations: {value: \(quoted(goFormat(sample.value)))}"]
            }
        }
        test.append("  promql_expr_test:")
        for item in cases where item.error != nil {
            test.append("  - {expr: \(quoted(item.expression)), eval_time: 0m, exp_samples: []}")
        }
        if !cases.contains(where: { $0.error != nil }) { test[test.count - 1] = "  promql_expr_test: []" }
        try (rules.joined(separator: "\n") + "\n").write(toFile: directory + "/rules.yaml", atomically: true,
                                                         encoding: .utf8)
        let path = directory + "/test.yaml"
        try (test.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `promtool test rules` on the file, killing it after `timeout` seconds; its exit status and output.
    static func run(_ testFile: String, timeout: Double = 50) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable!)
        process.arguments = ["test", "rules", (testFile as NSString).lastPathComponent]
        process.currentDirectoryURL = URL(fileURLWithPath: (testFile as NSString).deletingLastPathComponent)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// promtool's report line for an expression that failed to evaluate, up to the error text.
    static func errorLinePrefix(_ expression: String) -> String {
        let escaped = expression.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "expr: \"\(escaped)\", time: 0s, err: "
    }

    /// The class of an evaluation error, the same for factorwatch's message and for Prometheus'.
    static func errorClass(_ message: String) -> String {
        for known in ["multiple matches for labels", "found duplicate series for the match group", "overflows int64"]
        where message.contains(known) {
            return known
        }
        return message
    }

    /// Each failure promtool reports, as the lines of its block (`alertname: …`, `rule: …` or `expr: …` first).
    static func failures(in output: String) -> [[String]] {
        var blocks: [[String]] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("    ") && !line.hasPrefix("     ")
                && ["alertname: ", "rule: ", "expr: "].contains(where: { trimmed.hasPrefix($0) }) {
                blocks.append([trimmed])
            } else if !blocks.isEmpty && !trimmed.isEmpty {
                blocks[blocks.count - 1].append(trimmed)
            }
        }
        return blocks
    }
}
