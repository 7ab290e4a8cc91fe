import ByteRegex

/// The two kinds of value an expression can have. Strings exist only as literal arguments.
enum ExpressionType: String, Sendable {
    case scalar
    case vector = "instant vector"
    case range = "range vector"

    /// How messages name a value of this type.
    var article: String { self == .vector ? "an instant vector" : "a \(rawValue)" }
}

/// A compiled, fully anchored regular expression in RE2 syntax (PromQL anchors label regexes at both ends, and
/// Prometheus 2.x matches them with RE2: `.` does not match a newline unless `(?s)` says so).
struct LabelRegex: Sendable {
    let regex: ByteRegex

    init(_ pattern: String) throws(RegexSyntaxError) {
        regex = try ByteRegex(pattern, wholeMatch: true)
    }

    func matches(_ text: String) -> Bool {
        regex.matches(text)
    }
}

/// One `{name op "value"}` condition of a selector. A missing label matches as the empty string.
struct LabelMatcher: Sendable {
    enum Kind: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    var name: String
    var kind: Kind
    var value: String
    var regex: LabelRegex?

    func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .matches: return regex?.matches(labelValue) ?? false
        case .notMatches: return !(regex?.matches(labelValue) ?? false)
        }
    }
}

enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case equal = "==", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case and, or, unless

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual: return true
        default: return false
        }
    }

    var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Binding strength as in PromQL; `^` is handled by the parser above unary minus.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo: return 5
        case .power: return 6
        }
    }
}

/// `on(...)` (only these labels identify a pair) or `ignoring(...)` (all but these labels).
struct VectorMatching: Sendable, Equatable {
    var on: Bool
    var labels: [String]

    static let identical = VectorMatching(on: false, labels: [])

    func signature(_ labels: Labels) -> Labels {
        if !on && self.labels.isEmpty { return labels }
        return on ? labels.keeping(self.labels) : labels.removing(self.labels)
    }
}

enum AggregationOperator: String, Sendable, CaseIterable {
    case sum, min, max, avg, count, group, stddev, stdvar, topk, bottomk

    /// `topk` and `bottomk` take a scalar parameter before the vector.
    var takesParameter: Bool { self == .topk || self == .bottomk }
}

/// `by (...)` keeps only the listed labels; `without (...)` drops them.
struct Grouping: Sendable, Equatable {
    var without: Bool
    var labels: [String]

    static let all = Grouping(without: false, labels: [])

    func key(_ labels: Labels) -> Labels {
        without ? labels.removing(self.labels) : labels.keeping(self.labels)
    }
}

enum FunctionName: String, Sendable, CaseIterable {
    case abs, ceil, floor, round, sqrt, exp, ln, log2, log10, sgn
    case clamp, clamp_min, clamp_max
    case time, vector, scalar, absent
    case avg_over_time, min_over_time, max_over_time, sum_over_time, count_over_time, stddev_over_time
    case quantile_over_time, last_over_time, mad_over_time, delta, zscore

    /// Argument types; an optional trailing argument is marked by `optionalCount`.
    var parameters: [ExpressionType] {
        switch self {
        case .abs, .ceil, .floor, .sqrt, .exp, .ln, .log2, .log10, .sgn, .scalar, .absent: return [.vector]
        case .round: return [.vector, .scalar]
        case .clamp: return [.vector, .scalar, .scalar]
        case .clamp_min, .clamp_max: return [.vector, .scalar]
        case .time: return []
        case .vector: return [.scalar]
        case .quantile_over_time: return [.scalar, .range]
        case .avg_over_time, .min_over_time, .max_over_time, .sum_over_time, .count_over_time, .stddev_over_time,
             .last_over_time, .mad_over_time, .delta, .zscore:
            return [.range]
        }
    }

    var optionalCount: Int { self == .round ? 1 : 0 }

    var resultType: ExpressionType {
        switch self {
        case .time, .scalar: return .scalar
        default: return .vector
        }
    }
}

/// The parsed form of a rule expression.
indirect enum ExpressionNode: Sendable {
    case number(Double)
    case selector(metric: String, matchers: [LabelMatcher])
    case negate(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, returnBool: Bool, matching: VectorMatching)
    case aggregate(AggregationOperator, parameter: ExpressionNode?, argument: ExpressionNode, grouping: Grouping)
    case call(FunctionName, [ExpressionNode])
    /// A selector over the stored history: `m[20td]`, `m offset 1td`, `m[30r] offset 1r`.
    case history(HistorySelector)

    var type: ExpressionType {
        switch self {
        case .number: return .scalar
        case .selector, .aggregate: return .vector
        case .negate(let operand): return operand.type
        case .binary(_, let lhs, let rhs, _, _):
            return lhs.type == .scalar && rhs.type == .scalar ? .scalar : .vector
        case .call(let function, _): return function.resultType
        case .history(let selector): return selector.range == nil ? .vector : .range
        }
    }

    /// Every metric name a selector in this expression reads.
    var metrics: Set<String> {
        switch self {
        case .number: return []
        case .selector(let metric, _): return [metric]
        case .negate(let operand): return operand.metrics
        case .binary(_, let lhs, let rhs, _, _): return lhs.metrics.union(rhs.metrics)
        case .aggregate(_, let parameter, let argument, _): return argument.metrics.union(parameter?.metrics ?? [])
        case .call(_, let arguments): return arguments.reduce(into: []) { $0.formUnion($1.metrics) }
        case .history(let selector): return [selector.metric]
        }
    }
}
