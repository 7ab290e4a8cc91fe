#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension EvaluationReport {
    /// The text report followed by each rule's explanation.
    public func text(explaining explanations: [RuleExplanation]) -> String {
        text() + "\n\nWhy (at \(Timestamp.format(evaluatedAt, in: zone))):\n"
            + explanations.map { $0.text() }.joined(separator: "\n")
    }

    /// The report as one JSON object with the rules' explanations as its `explain` array.
    public func json(explaining explanations: [RuleExplanation]) -> String {
        encodeJSON(EvaluationJSON(report: self, explanations: explanations))
    }
}

/// The JSON form of one rule's explanation, as `eval --explain --format json` gives it under `explain`.
struct ExplanationJSON: Encodable {
    struct SeriesJSON: Encodable {
        var labels: [String: String]
        var value: JSONNumber
        var condition: String
        var holds: Bool
        var removedBy: String?

        enum CodingKeys: String, CodingKey { case labels, value, condition, holds, removedBy = "removed_by" }
    }

    struct AlertJSON: Encodable {
        var labels: [String: String]
        var state: String
        var notify: Bool
        var suppressedBy: String?
        var reason: String

        enum CodingKeys: String, CodingKey { case labels, state, notify, suppressedBy = "suppressed_by", reason }
    }

    var rule: String
    var expr: String
    var clear: String?
    var severity: String
    var forSeconds: Double
    var missingMetrics: [String]
    var series: [SeriesJSON]
    var alerts: [AlertJSON]

    enum CodingKeys: String, CodingKey {
        case rule, expr, clear, severity, forSeconds = "for_seconds", missingMetrics = "missing_metrics", series, alerts
    }

    init(_ explanation: RuleExplanation) {
        rule = explanation.rule
        expr = explanation.expression
        clear = explanation.clear
        severity = explanation.severity.rawValue
        forSeconds = explanation.forDuration
        missingMetrics = explanation.missingMetrics
        series = explanation.series.map {
            SeriesJSON(labels: $0.labels.dictionary, value: JSONNumber($0.value), condition: $0.condition,
                       holds: $0.holds, removedBy: $0.removedBy)
        }
        alerts = explanation.alerts.map {
            AlertJSON(labels: $0.labels.dictionary, state: $0.state.rawValue, notify: $0.notify,
                      suppressedBy: $0.suppressedBy, reason: $0.reason)
        }
    }
}
