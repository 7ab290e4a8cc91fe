#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExpressionEvaluator {
    func call(_ function: FunctionName, _ arguments: [ExpressionNode]) throws(ExpressionEvaluationError)
        -> ExpressionValue
    {
        var values: [ExpressionValue] = []
        for argument in arguments { values.append(try evaluate(argument)) }
        func mapped(_ transform: (Double) -> Double) -> ExpressionValue {
            .vector(vector(values[0]).map { Sample(labels: $0.labels, value: transform($0.value)) })
        }
        switch function {
        case .abs: return mapped { Swift.abs($0) }
        case .ceil: return mapped { $0.rounded(.up) }
        case .floor: return mapped { $0.rounded(.down) }
        case .sqrt: return mapped { $0.squareRoot() }
        case .exp: return mapped { Glibc.exp($0) }
        case .ln: return mapped { Glibc.log($0) }
        case .log2: return mapped { Glibc.log2($0) }
        case .log10: return mapped { Glibc.log10($0) }
        case .sgn: return mapped { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .round:
            let nearest = values.count > 1 ? scalar(values[1]) : 1
            let inverse = 1 / nearest
            // Ties round up, as PromQL does: round(-2.5) is -2.
            return mapped { ($0 * inverse + 0.5).rounded(.down) / inverse }
        case .clamp_min:
            let minimum = scalar(values[1])
            return mapped { promMax(minimum, $0) }
        case .clamp_max:
            let maximum = scalar(values[1])
            return mapped { promMin(maximum, $0) }
        case .clamp:
            let minimum = scalar(values[1]), maximum = scalar(values[2])
            if maximum < minimum { return .vector([]) }
            return mapped { promMax(minimum, promMin(maximum, $0)) }
        case .time:
            return .scalar(time)
        case .vector:
            return .vector([Sample(labels: Labels(), value: scalar(values[0]))])
        case .scalar:
            let samples = vector(values[0])
            return .scalar(samples.count == 1 ? samples[0].value : .nan)
        case .absent:
            guard vector(values[0]).isEmpty else { return .vector([]) }
            return .vector([Sample(labels: absentLabels(arguments[0]), value: 1)])
        default:
            return rangeCall(function, arguments)
        }
    }

    /// The labels `absent` reports, as a Prometheus 2.42 alerting rule does: one for each equality matcher
    /// whose label no other equality matcher and no `=~` matcher names (`!=` and `!~` say nothing); an empty
    /// value is no label. (A rule's matchers reach Prometheus' evaluator sorted as text, so on one label the
    /// `!=`/`!~` matchers come first and remove nothing, and a `=~` matcher comes last and removes the label.)
    private func absentLabels(_ node: ExpressionNode) -> Labels {
        guard case .selector(_, let matchers) = node else { return Labels() }
        var labels = Labels()
        for matcher in matchers where matcher.kind == .equal && !matcher.value.isEmpty {
            let others = matchers.filter { $0.name == matcher.name && ($0.kind == .equal || $0.kind == .matches) }
            if others.count == 1 { labels[matcher.name] = matcher.value }
        }
        return labels
    }
}

/// The larger of two values with the special cases PromQL inherits from Go's `math.Max`: +Inf wins over NaN,
/// NaN over any other number, and +0 over -0.
func promMax(_ x: Double, _ y: Double) -> Double {
    if x == .infinity || y == .infinity { return .infinity }
    if x.isNaN || y.isNaN { return .nan }
    if x == 0 && y == 0 { return x.sign == .plus ? x : y }
    return x > y ? x : y
}

/// The smaller of two values as Go's `math.Min`: -Inf wins over NaN, NaN over any other number, -0 over +0.
func promMin(_ x: Double, _ y: Double) -> Double {
    if x == -.infinity || y == -.infinity { return -.infinity }
    if x.isNaN || y.isNaN { return .nan }
    if x == 0 && y == 0 { return x.sign == .minus ? x : y }
    return x < y ? x : y
}
