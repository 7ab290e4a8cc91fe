#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of a sub-expression during evaluation.
enum ExpressionValue {
    case scalar(Double)
    case vector([Sample])
}

/// Walks the expression tree over one observation index at one evaluation time, with PromQL's semantics (as
/// Prometheus 2.42 evaluates them); an expression Prometheus refuses to evaluate throws here too.
struct ExpressionEvaluator {
    let index: ObservationIndex
    let time: Double
    /// What range selectors and offsets read; nil (no history) gives them nothing.
    var history: HistoryFrame? = nil

    func evaluate(_ node: ExpressionNode) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch node {
        case .number(let value):
            return .scalar(value)
        case .selector(let metric, let matchers):
            return .vector(select(metric, matchers))
        case .negate(let operand):
            switch try evaluate(operand) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let samples): return .vector(samples.map { Sample(labels: $0.labels, value: -$0.value) })
            }
        case .binary(let op, let lhs, let rhs, let returnBool, let matching):
            return try binary(op, evaluate(lhs), evaluate(rhs), returnBool: returnBool, matching: matching)
        case .aggregate(let op, let parameter, let argument, let grouping):
            var k = 0.0
            if let parameter { k = scalar(try evaluate(parameter)) }
            return .vector(try aggregate(op, parameter: k, vector(evaluate(argument)), grouping: grouping))
        case .call(let function, let arguments):
            if function.readsRange { return rangeCall(function, arguments) }
            return try call(function, arguments)
        case .history(let selector):
            return .vector(selector.range == nil ? offsetSamples(selector) : [])
        }
    }

    func scalar(_ value: ExpressionValue) -> Double {
        if case .scalar(let number) = value { return number }
        return .nan
    }

    func vector(_ value: ExpressionValue) -> [Sample] {
        if case .vector(let samples) = value { return samples }
        return []
    }

    private func select(_ metric: String, _ matchers: [LabelMatcher]) -> [Sample] {
        let samples = index.samples(metric)
        if matchers.isEmpty { return samples }
        // Label values repeat across series (dates, factors), so each regex runs once per distinct value.
        var regexResults: [[String: Bool]] = Array(repeating: [:], count: matchers.count)
        return samples.filter { sample in
            for (position, matcher) in matchers.enumerated() {
                let value = sample.labels[matcher.name] ?? ""
                let matched: Bool
                if matcher.regex == nil {
                    matched = matcher.matches(value)
                } else if let known = regexResults[position][value] {
                    matched = known
                } else {
                    matched = matcher.matches(value)
                    regexResults[position][value] = matched
                }
                if !matched { return false }
            }
            return true
        }
    }

    // MARK: - Binary operators

    /// The arithmetic result, or for comparisons 1/0 for true/false (NaN compares false).
    static func apply(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> Double {
        switch op {
        case .add: return lhs + rhs
        case .subtract: return lhs - rhs
        case .multiply: return lhs * rhs
        case .divide: return lhs / rhs
        case .modulo: return fmod(lhs, rhs)
        case .power: return pow(lhs, rhs)
        case .equal: return lhs == rhs ? 1 : 0
        case .notEqual: return lhs != rhs ? 1 : 0
        case .greater: return lhs > rhs ? 1 : 0
        case .greaterOrEqual: return lhs >= rhs ? 1 : 0
        case .less: return lhs < rhs ? 1 : 0
        case .lessOrEqual: return lhs <= rhs ? 1 : 0
        case .and, .or, .unless: return .nan
        }
    }

    private func binary(_ op: BinaryOperator, _ lhs: ExpressionValue, _ rhs: ExpressionValue, returnBool: Bool,
                        matching: VectorMatching) throws(ExpressionEvaluationError) -> ExpressionValue {
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            return .scalar(Self.apply(op, left, right))
        case (.vector(let left), .scalar(let right)):
            return .vector(vectorScalar(op, left, right, vectorOnLeft: true, returnBool: returnBool))
        case (.scalar(let left), .vector(let right)):
            return .vector(vectorScalar(op, right, left, vectorOnLeft: false, returnBool: returnBool))
        case (.vector(let left), .vector(let right)):
            if op.isSetOperator { return .vector(setOperation(op, left, right, matching: matching)) }
            return .vector(try vectorVector(op, left, right, returnBool: returnBool, matching: matching))
        }
    }

    private func vectorScalar(_ op: BinaryOperator, _ samples: [Sample], _ scalar: Double, vectorOnLeft: Bool,
                              returnBool: Bool) -> [Sample] {
        var result: [Sample] = []
        result.reserveCapacity(samples.count)
        for sample in samples {
            let value = vectorOnLeft ? Self.apply(op, sample.value, scalar) : Self.apply(op, scalar, sample.value)
            if op.isComparison && !returnBool {
                // A filter keeps the vector's own value, whichever side it is on.
                if value == 1 { result.append(sample) }
            } else {
                result.append(Sample(labels: sample.labels, value: value))
            }
        }
        return result
    }

    /// One-to-one matching: pairs whose label sets agree (on the `on` labels, or on all but the `ignoring`
    /// ones). As in Prometheus, two right-hand series in one match group, or two left-hand series that both
    /// find (and, for a filter, keep) the same right-hand one, make the expression fail; an empty side
    /// matches nothing before either is checked.
    private func vectorVector(_ op: BinaryOperator, _ left: [Sample], _ right: [Sample], returnBool: Bool,
                              matching: VectorMatching) throws(ExpressionEvaluationError) -> [Sample] {
        if left.isEmpty || right.isEmpty { return [] }
        var rightBySignature: [Labels: Int] = [:]
        rightBySignature.reserveCapacity(right.count)
        for (position, sample) in right.enumerated() {
            let signature = matching.signature(sample.labels)
            if let other = rightBySignature.updateValue(position, forKey: signature) {
                throw .duplicateSeries(signature, sample.labels, right[other].labels)
            }
        }
        let reduceLabels = matching != .identical
        let filtering = op.isComparison && !returnBool
        var matched = [Bool](repeating: false, count: right.count)
        var result: [Sample] = []
        for sample in left {
            let signature = matching.signature(sample.labels)
            guard let position = rightBySignature[signature] else { continue }
            let value = Self.apply(op, sample.value, right[position].value)
            if filtering && value != 1 { continue }
            if matched[position] { throw .multipleMatches(signature) }
            matched[position] = true
            let labels = reduceLabels ? signature : sample.labels
            result.append(Sample(labels: labels, value: filtering ? sample.value : value))
        }
        return result
    }

    private func setOperation(_ op: BinaryOperator, _ left: [Sample], _ right: [Sample],
                              matching: VectorMatching) -> [Sample] {
        switch op {
        case .and:
            let signatures = Set(right.map { matching.signature($0.labels) })
            return left.filter { signatures.contains(matching.signature($0.labels)) }
        case .unless:
            let signatures = Set(right.map { matching.signature($0.labels) })
            return left.filter { !signatures.contains(matching.signature($0.labels)) }
        default:
            let signatures = Set(left.map { matching.signature($0.labels) })
            return left + right.filter { !signatures.contains(matching.signature($0.labels)) }
        }
    }
}
