#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why each rule did or did not fire in one evaluation: the compared value of every series against its
/// threshold, and for each alert its state and notification decision. For people tuning thresholds.
public struct RuleExplanation: Sendable {
    /// One series of the compared side of a rule's condition.
    public struct Series: Sendable {
        public var labels: Labels
        public var value: Double
        /// `>= 2`, or a description of the other side when both sides are series.
        public var condition: String
        public var holds: Bool
        /// `and`, `or` or `unless` for a series of a set operation's right-hand side.
        public var via: String?
        /// The set operator (`and`, `unless`) that removed a series whose own condition holds.
        public var removedBy: String? = nil

        /// What happened to the series, in words.
        public var verdict: String {
            guard let removedBy else { return holds ? "holds" : "does not hold" }
            return removedBy == "unless" ? "holds, but `unless` removed it (a matching right-hand series exists)"
                : "holds, but `\(removedBy)` removed it (no matching right-hand series)"
        }
    }

    public var rule: String
    public var expression: String
    public var clear: String?
    public var severity: Severity
    public var forDuration: Double
    public var series: [Series]
    /// Metric names read by the expression that had no observation at all.
    public var missingMetrics: [String]
    public var alerts: [AlertReport]

    /// Explains every rule of `configuration` (or those `report` evaluated) over the report's observations.
    public static func explain(_ report: EvaluationReport, configuration: Configuration,
                               rules filter: Set<String>? = nil) -> [RuleExplanation] {
        let index = ObservationIndex(report.observations)
        let evaluator = ExpressionEvaluator(index: index, time: report.evaluatedAt.timeIntervalSince1970)
        return configuration.rules.filter { filter?.contains($0.name) ?? true }.map { rule in
            RuleExplanation(
                rule: rule.name, expression: rule.expression.source, clear: rule.clear?.source, severity: rule.severity,
                forDuration: rule.forDuration, series: series(rule.expression.root, evaluator),
                missingMetrics: rule.expression.selectedMetrics.filter { index.samples($0).isEmpty }.sorted(),
                alerts: report.alerts.filter { $0.rule == rule.name })
        }
    }

    /// The series a condition compares: the vector side of a comparison with its threshold, both sides of a
    /// set operation, or else the expression's own result.
    static func series(_ node: ExpressionNode, _ evaluator: ExpressionEvaluator) -> [Series] {
        switch node {
        case .binary(let op, let lhs, let rhs, false, _) where op.isComparison:
            switch (lhs.type, rhs.type) {
            case (.vector, .scalar), (.scalar, .vector):
                let vectorOnLeft = lhs.type == .vector
                let threshold = scalar(try? evaluator.evaluate(vectorOnLeft ? rhs : lhs))
                return samples(try? evaluator.evaluate(vectorOnLeft ? lhs : rhs)).map { sample in
                    let (a, b) = vectorOnLeft ? (sample.value, threshold) : (threshold, sample.value)
                    let condition = vectorOnLeft ? "\(op.rawValue) \(formatValue(threshold))"
                        : "(\(formatValue(threshold)) \(op.rawValue) value)"
                    return Series(labels: sample.labels, value: sample.value, condition: condition,
                                  holds: ExpressionEvaluator.apply(op, a, b) != 0, via: nil)
                }
            default:
                let kept = Set(samples(try? evaluator.evaluate(node)).map(\.labels))
                return samples(try? evaluator.evaluate(lhs)).map {
                    Series(labels: $0.labels, value: $0.value, condition: "\(op.rawValue) the right-hand series",
                           holds: kept.contains($0.labels), via: nil)
                }
            }
        case .binary(let op, let lhs, let rhs, _, _) where op.isSetOperator:
            let kept = Set(samples(try? evaluator.evaluate(node)).map(\.labels))
            let left = series(lhs, evaluator)
            let right = series(rhs, evaluator).map { item in
                var item = item
                item.via = op.rawValue
                return item
            }
            // A left-hand series that holds but is removed (`unless`) does not fire: show the result's verdict.
            return left.map { item in
                var item = item
                if item.holds && !kept.contains(item.labels) {
                    item.holds = false
                    item.removedBy = item.removedBy ?? op.rawValue
                }
                return item
            } + right
        default:
            return samples(try? evaluator.evaluate(node)).map {
                Series(labels: $0.labels, value: $0.value, condition: "kept", holds: true, via: nil)
            }
        }
    }

    /// A sub-expression that cannot be evaluated shows no series; the evaluation report says why.
    private static func samples(_ value: ExpressionValue?) -> [Sample] {
        switch value ?? .vector([]) {
        case .vector(let samples): return samples.sorted { $0.labels < $1.labels }
        case .scalar(let number): return [Sample(labels: Labels(), value: number)]
        }
    }

    private static func scalar(_ value: ExpressionValue?) -> Double {
        if case .scalar(let number) = value { return number }
        return .nan
    }
}

extension RuleExplanation {
    /// A few lines per rule: header, one line per series, one per alert with its notification decision.
    public func text() -> String {
        var header = "\(rule) [\(severity.rawValue)]: \(expression)"
        if forDuration > 0 { header += "  for \(formatDuration(seconds: forDuration))" }
        if let clear { header += "  clear: \(clear)" }
        var lines = [header]
        for metric in missingMetrics { lines.append("  no observation of \(metric)") }
        if series.isEmpty && missingMetrics.isEmpty {
            lines.append("  no series to compare: the selector matched no observation")
        }
        for item in series {
            let prefix = item.via.map { $0 + " " } ?? ""
            lines.append("  \(prefix)\(item.labels) = \(formatValue(item.value)) \(item.condition): "
                         + item.verdict)
        }
        for alert in alerts {
            var line = "  -> \(alert.labels) \(alert.state.rawValue)"
            if alert.notify {
                line += ", notifies \(alert.channels.joined(separator: ", "))"
            } else if let by = alert.suppressedBy {
                line += by == "silence" ? ", silenced" : ", de-duplicated"
            }
            if !alert.reason.isEmpty && alert.reason != "firing" { line += " (\(alert.reason))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
