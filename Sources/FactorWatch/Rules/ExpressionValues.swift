/// One series of an expression's result: its label set and value.
public struct Sample: Hashable, Sendable, CustomStringConvertible {
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }

    public var description: String { "\(labels) \(formatValue(value))" }

    // NaN values must still compare equal to themselves so results can be compared and de-duplicated.
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.labels == rhs.labels && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : value.bitPattern))
    }
}

/// Observations grouped by metric name, one sample per label set (the last observation of a series wins),
/// so a selector touches only its own metric. As in Prometheus, a label whose value is empty is no label:
/// `{device=""}` is the same series as one without `device`.
public struct ObservationIndex: Sendable {
    private var byMetric: [String: [Sample]] = [:]

    public init(_ observations: [Observation]) {
        var positions: [String: [Labels: Int]] = [:]
        for observation in observations {
            var labels = observation.labels
            if labels.contains(where: { $0.value.isEmpty }) {
                labels = labels.removing(labels.filter { $0.value.isEmpty }.map(\.name))
            }
            let sample = Sample(labels: labels, value: observation.value)
            if let position = positions[observation.metric]?[labels] {
                byMetric[observation.metric]![position] = sample
            } else {
                let position = byMetric[observation.metric]?.count ?? 0
                positions[observation.metric, default: [:]][labels] = position
                byMetric[observation.metric, default: []].append(sample)
            }
        }
    }

    public func samples(_ metric: String) -> [Sample] {
        byMetric[metric] ?? []
    }

    public var metrics: Set<String> { Set(byMetric.keys) }
}

/// A parsed rule expression, ready to evaluate against observations.
public struct RuleExpression: Sendable, CustomStringConvertible {
    public let source: String
    /// Every metric name the expression reads (for `check` to warn about metrics no collector emits).
    public let selectedMetrics: Set<String>
    let root: ExpressionNode

    public init(_ source: String) throws(ExpressionError) {
        self.source = source
        root = try ExpressionParser.parse(source)
        selectedMetrics = root.metrics
    }

    /// True when the expression always yields a single unlabelled value (e.g. `vector(1)` is not, `1 + 1` is).
    public var isScalar: Bool { root.type == .scalar }

    /// The series the expression keeps, sorted by label set. A scalar result is one sample with no labels.
    /// Throws when the expression cannot be evaluated over these observations (ambiguous vector matching).
    public func evaluate(_ data: ObservationIndex, at time: Double, history: HistoryFrame? = nil)
        throws(ExpressionEvaluationError) -> [Sample]
    {
        let evaluator = ExpressionEvaluator(index: data, time: time, history: history)
        switch try evaluator.evaluate(root) {
        case .scalar(let value): return [Sample(labels: Labels(), value: value)]
        case .vector(let samples): return samples.sorted { $0.labels < $1.labels }
        }
    }

    public func evaluate(_ observations: [Observation], at time: Double, history: HistoryFrame? = nil)
        throws(ExpressionEvaluationError) -> [Sample]
    {
        try evaluate(ObservationIndex(observations), at: time, history: history)
    }

    /// Whether the expression reads the history (a range selector or an offset).
    public var readsHistory: Bool { root.readsHistory }

    public var description: String { source }
}
