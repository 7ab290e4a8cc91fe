import Foundation
@testable import FactorWatch

/// One alert as promtool's report lists it: its labels (without `alertname`) and annotations.
struct ReportedAlert: Equatable {
    var labels: [String: String]
    var annotations: [String: String]
}

/// One promtool-format test file in the making: rules, input series and the checks at each evaluation time.
struct PromtoolFormatFile {
    var alerts: [String]
    var inputSeries: [(series: String, values: String)]
    /// Minutes after the first sample at which every alert is checked.
    var evalMinutes: [Int]
    /// What is expected to fire, by alert and minute; a missing entry expects nothing.
    var expected: [String: [ReportedAlert]] = [:]

    static func key(_ alert: String, _ minute: Int) -> String { "\(alert)@\(minute)" }

    func text() -> String {
        var lines = ["rule_files: [rules.yaml]", "evaluation_interval: 1m", "tests:", "- name: cross-check",
                     "  interval: 1m", "  input_series:"]
        for item in inputSeries {
            lines.append("  - {series: \(PromtoolFiles.quoted(item.series)), values: '\(item.values)'}")
        }
        lines.append("  alert_rule_test:")
        for minute in evalMinutes {
            for alert in alerts {
                let firing = expected[Self.key(alert, minute)] ?? []
                lines.append("  - eval_time: \(minute)m")
                lines.append("    alertname: \(alert)")
                lines.append(firing.isEmpty ? "    exp_alerts: []" : "    exp_alerts:")
                for item in firing {
                    lines.append("    - exp_labels: \(Self.flowMap(item.labels))")
                    lines.append("      exp_annotations: \(Self.flowMap(item.annotations))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func flowMap(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { "\($0): \(PromtoolFiles.quoted(map[$0]!))" }.joined(separator: ", ") + "}"
    }

    /// What promtool reported firing where the file expected otherwise, by alert and minute.
    static func reported(in output: String) -> [String: [ReportedAlert]] {
        var found: [String: [ReportedAlert]] = [:]
        var current: String?
        var labels: [String: String]?
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("alertname: ") {
                let parts = line.dropFirst("alertname: ".count).split(separator: ",")
                let minute = parts.count > 1 ? minutes(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                current = minute.map { key(String(parts[0]), $0) }
                if let current { found[current] = found[current] ?? [] }
            } else if line.hasPrefix("Labels:") {
                labels = labelMap(String(line.dropFirst("Labels:".count)))
                labels?.removeValue(forKey: "alertname")
            } else if line.hasPrefix("Annotations:"), let current, let seen = labels {
                var text = String(line.dropFirst("Annotations:".count))
                if text.hasSuffix(",") { text.removeLast() }
                found[current, default: []].append(ReportedAlert(labels: seen, annotations: labelMap(text)))
                labels = nil
            }
        }
        return found
    }

    /// `time: 3m` or `time: 0s`.
    private static func minutes(_ text: String) -> Int? {
        guard text.hasPrefix("time: ") else { return nil }
        let value = text.dropFirst("time: ".count)
        if value == "0s" { return 0 }
        return value.hasSuffix("m") ? Int(value.dropLast()) : nil
    }

    /// `{a="x", b="y"}` as Go prints a label set.
    private static func labelMap(_ text: String) -> [String: String] {
        guard let parsed = try? ExpositionLine.parse("x" + text + " 0") else { return ["unparsed": text] }
        var map: [String: String] = [:]
        for label in parsed.labels { map[label.name] = label.value }
        return map
    }
}

/// The built `factorwatch` binary, run as `factorwatch test`.
enum FactorWatchBinary {
    static let path: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("factorwatch").path,
                          root.path + "/.build/debug/factorwatch"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    static func test(_ file: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["test", "--builtin-routes", file]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
