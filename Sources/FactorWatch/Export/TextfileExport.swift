#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What one evaluation measured, in the Prometheus text format, for node_exporter's textfile collector.
///
/// Names: an observation's metric `m` is exported as `factorwatch_m` (left as it is when it already starts with
/// `factorwatch_`); any character outside `[a-zA-Z0-9_:]` becomes `_`; the few names promtool's lint flags are
/// exported under lint-clean ones (`renamed`). Alerts are `ALERTS`, as Prometheus names
/// them. Every family has `# HELP` and `# TYPE`; no sample has a timestamp (node_exporter refuses them).
public enum TextfileExport {
    public static let prefix = "factorwatch_"

    /// The exported name of an observation's metric.
    public static func metricName(_ metric: String) -> String {
        let name = sanitized(metric, allowColon: true)
        return name.hasPrefix(prefix) ? name : prefix + name
    }

    /// The whole file: observations, `ALERTS`, the run's own figures and the queued notifications per channel.
    public static func render(_ report: EvaluationReport, duration: Double, queued: [String: Int]) -> String {
        var families: [String: Family] = [:]
        var order: [String] = []
        func add(_ name: String, help: String, _ labels: Labels, _ value: Double) {
            if families[name] == nil {
                families[name] = Family(help: help)
                order.append(name)
            }
            families[name]!.add(labels, value)
        }
        for observation in report.observations {
            let target = exported(observation.metric)
            let help = observation.metric == "collector_up" ? "1 when the collector ran, 0 when it failed."
                : target.scale == 1 ? "factorwatch observation \(observation.metric)."
                : "factorwatch observation \(observation.metric) in seconds (× \(Int(target.scale)))."
            add(target.name, help: help, observation.labels, observation.value * target.scale)
        }
        for alert in report.alerts where alert.state != .resolved {
            var labels = alert.labels.removing(["alertname", "alertstate", "severity"])
            labels["alertname"] = alert.rule
            labels["alertstate"] = alert.state.rawValue
            labels["severity"] = alert.severity.rawValue
            add("ALERTS", help: "Alerts pending or firing in factorwatch's last evaluation.", labels, 1)
        }
        add(prefix + "last_eval_timestamp_seconds", help: "When the last evaluation ran (Unix time).", Labels(),
            report.evaluatedAt.timeIntervalSince1970)
        add(prefix + "eval_duration_seconds", help: "How long the last evaluation took.", Labels(), duration)
        for channel in queued.keys.sorted() {
            add(prefix + "notifications_queued", help: "Notifications waiting in the outbox to be retried.",
                ["channel": channel], Double(queued[channel]!))
        }
        if families[prefix + "notifications_queued"] == nil {
            add(prefix + "notifications_queued", help: "Notifications waiting in the outbox to be retried.",
                Labels(), 0)
        }
        return order.map { families[$0]!.text(name: $0) }.joined()
    }

    /// Writes `text` to `path` whole or not at all, so a reader sees the old file or the new one, never a part.
    public static func writeAtomically(_ text: String, to path: String) throws {
        do {
            try FileSystem.writeAtomically(Array(text.utf8), to: path)
        } catch {
            throw TextfileError(path: error.path, reason: error.reason)
        }
    }

    static func sanitized(_ name: String, allowColon: Bool) -> String {
        var out = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            let letter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
                || (allowColon && scalar == ":")
            let digit = ("0"..."9").contains(scalar)
            out.unicodeScalars.append(letter || (digit && index > 0) ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }
}

public struct TextfileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write the textfile \(path): \(reason)" }
}

/// One metric family: its help and its series, each label set once (the first value wins).
private struct Family {
    let help: String
    var series: [(Labels, Double)] = []
    var seen: Set<Labels> = []

    init(help: String) { self.help = help }

    mutating func add(_ labels: Labels, _ value: Double) {
        let clean = Labels(Dictionary(labels.compactMap { label -> (String, String)? in
            let name = TextfileExport.sanitized(label.name, allowColon: false)
            return name.hasPrefix("__") || label.value.isEmpty ? nil : (name, label.value)
        }, uniquingKeysWith: { first, _ in first }))
        guard seen.insert(clean).inserted else { return }
        series.append((clean, value))
    }

    func text(name: String) -> String {
        var out = "# HELP \(name) \(escaped(help, quote: false))\n# TYPE \(name) gauge\n"
        for (labels, value) in series {
            let pairs = labels.map { "\($0.name)=\"\(escaped($0.value, quote: true))\"" }
            out += name + (pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}") + " " + format(value) + "\n"
        }
        return out
    }

    func escaped(_ text: String, quote: Bool) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quote: out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }

    func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
