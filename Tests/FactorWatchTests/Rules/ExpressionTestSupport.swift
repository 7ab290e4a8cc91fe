import FactorWatch
import Testing

/// Evaluates `source` over `observations`, returning `[labels key: value]` for compact assertions.
func evalExpression(_ source: String, _ observations: [Observation], at time: Double = 0) throws -> [String: Double] {
    let samples = try RuleExpression(source).evaluate(ObservationIndex(observations), at: time)
    var result: [String: Double] = [:]
    for sample in samples { result[sample.labels.key] = sample.value }
    #expect(result.count == samples.count, "duplicate label sets in the result of \(source)")
    return result
}

/// The error a malformed expression raises.
func expressionError(_ source: String) -> ExpressionError? {
    do {
        _ = try RuleExpression(source)
        return nil
    } catch {
        return error
    }
}

/// A small factor-quality data set used across the expression tests.
let factorObservations: [Observation] = [
    Observation("factor_variance", ["factor": "size", "date": "20261123"], 0.8),
    Observation("factor_variance", ["factor": "beta", "date": "20261123"], 0.0001),
    Observation("factor_variance", ["factor": "momentum", "date": "20261123"], 0.5),
    Observation("factor_mean", ["factor": "size", "date": "20261123"], 0.1),
    Observation("factor_mean", ["factor": "beta", "date": "20261123"], -0.2),
    Observation("factor_mean", ["factor": "liquidity", "date": "20261123"], 0.3),
    Observation("disk_used_percent", ["path": "/data"], 93),
    Observation("disk_used_percent", ["path": "/backup"], 40),
    Observation("factor_rows", ["date": "20261123"], 3900),
]
