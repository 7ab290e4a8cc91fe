import FactorWatch

extension EvalCommand {
    /// The report with the rules' explanations: after the text report, or as an `explain` array in the JSON one.
    func explained(_ report: EvaluationReport, configuration: Configuration) -> String {
        let explanations = RuleExplanation.explain(report, configuration: configuration,
                                                   rules: rule.isEmpty ? nil : Set(rule))
        switch common.format {
        case .text:
            return report.text() + "\n\nWhy (at \(Timestamp.format(report.evaluatedAt, in: configuration.zone))):\n"
                + explanations.map { $0.text() }.joined(separator: "\n")
        case .json:
            // The report is one JSON object: the explanations join it as its last key.
            var object = report.json()
            while object.last?.isWhitespace == true { object.removeLast() }
            guard object.hasSuffix("}") else { return object }
            object.removeLast()
            while object.last?.isWhitespace == true { object.removeLast() }
            let array = encodeJSON(explanations.map(ExplanationJSON.init))
            return object + ",\n  \"explain\" : " + array.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n  ") + "\n}"
        }
    }
}

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
