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

/// Walks the expression tree over one observation index at one evaluation time.
struct ExpressionEvaluator {
    let index: ObservationIndex
    let time: Double

    func evaluate(_ node: ExpressionNode) -> ExpressionValue {
        switch node {
        case .number(let value):
            return .scalar(value)
        case .selector(let metric, let matchers):
            return .vector(select(metric, matchers))
        case .negate(let operand):
            switch evaluate(operand) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let samples): return .vector(samples.map { Sample(labels: $0.labels, value: -$0.value) })
            }
        case .binary(let op, let lhs, let rhs, let returnBool, let matching):
            return binary(op, evaluate(lhs), evaluate(rhs), returnBool: returnBool, matching: matching)
        case .aggregate(let op, let parameter, let argument, let grouping):
            let k = parameter.map { scalar(evaluate($0)) } ?? 0
            return .vector(aggregate(op, parameter: k, vector(evaluate(argument)), grouping: grouping))
        case .call(let function, let arguments):
            return call(function, arguments)
        }
    }

    private func scalar(_ value: ExpressionValue) -> Double {
        if case .scalar(let number) = value { return number }
        return .nan
    }

    private func vector(_ value: ExpressionValue) -> [Sample] {
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
                        matching: VectorMatching) -> ExpressionValue {
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            return .scalar(Self.apply(op, left, right))
        case (.vector(let left), .scalar(let right)):
            return .vector(vectorScalar(op, left, right, vectorOnLeft: true, returnBool: returnBool))
        case (.scalar(let left), .vector(let right)):
            return .vector(vectorScalar(op, right, left, vectorOnLeft: false, returnBool: returnBool))
        case (.vector(let left), .vector(let right)):
            if op.isSetOperator { return .vector(setOperation(op, left, right, matching: matching)) }
            return .vector(vectorVector(op, left, right, returnBool: returnBool, matching: matching))
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
    /// ones). A signature that occurs more than once on either side is ambiguous and matches nothing.
    private func vectorVector(_ op: BinaryOperator, _ left: [Sample], _ right: [Sample], returnBool: Bool,
                              matching: VectorMatching) -> [Sample] {
        var rightBySignature: [Labels: Sample?] = [:]
        for sample in right {
            let signature = matching.signature(sample.labels)
            rightBySignature[signature] = rightBySignature[signature] == nil ? sample : .some(nil)
        }
        var leftCounts: [Labels: Int] = [:]
        for sample in left { leftCounts[matching.signature(sample.labels), default: 0] += 1 }
        let reduceLabels = matching != .identical
        var result: [Sample] = []
        for sample in left {
            let signature = matching.signature(sample.labels)
            guard leftCounts[signature] == 1, let match = rightBySignature[signature], let other = match else {
                continue
            }
            let value = Self.apply(op, sample.value, other.value)
            let labels = reduceLabels ? signature : sample.labels
            if op.isComparison && !returnBool {
                if value == 1 { result.append(Sample(labels: labels, value: sample.value)) }
            } else {
                result.append(Sample(labels: labels, value: value))
            }
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

    // MARK: - Functions

    private func call(_ function: FunctionName, _ arguments: [ExpressionNode]) -> ExpressionValue {
        let values = arguments.map(evaluate)
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
            return mapped { Swift.max($0, minimum) }
        case .clamp_max:
            let maximum = scalar(values[1])
            return mapped { Swift.min($0, maximum) }
        case .clamp:
            let minimum = scalar(values[1]), maximum = scalar(values[2])
            if minimum > maximum { return .vector([]) }
            return mapped { Swift.max(minimum, Swift.min(maximum, $0)) }
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
        }
    }

    /// The labels `absent` reports: the selector's equality matchers; a name matched any other way, or
    /// twice, is left out since no single value for it is known.
    private func absentLabels(_ node: ExpressionNode) -> Labels {
        guard case .selector(_, let matchers) = node else { return Labels() }
        var labels = Labels()
        var unknown: Set<String> = []
        for matcher in matchers {
            if matcher.kind == .equal && labels[matcher.name] == nil {
                labels[matcher.name] = matcher.value
            } else {
                unknown.insert(matcher.name)
            }
        }
        return labels.removing(unknown)
    }
}
