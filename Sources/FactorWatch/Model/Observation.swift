/// One measured value: `metric{labels} value`. Collectors produce them; rules read them.
public struct Observation: Hashable, Sendable, Codable {
    public var metric: String
    public var labels: Labels
    public var value: Double

    public init(_ metric: String, _ labels: Labels = Labels(), _ value: Double) {
        self.metric = metric
        self.labels = labels
        self.value = value
    }

    public init(_ metric: String, _ labels: Labels = Labels(), _ value: Int) {
        self.init(metric, labels, Double(value))
    }
}

extension Observation: CustomStringConvertible {
    /// The exposition form: `metric{a="b"} 1.5`.
    public var description: String {
        "\(metric)\(labels.isEmpty ? "" : labels.description) \(formatValue(value))"
    }
}

/// Numbers as people read them: integers without a fraction, others with up to 6 significant digits.
public func formatValue(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return formatSignificant(value, digits: 6)
}

func formatSignificant(_ value: Double, digits: Int) -> String {
    var text = formatDouble(value, format: "%.\(digits)g")
    if text.contains("e") { return text }
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text
}
