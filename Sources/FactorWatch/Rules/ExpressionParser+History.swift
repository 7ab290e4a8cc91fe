/// A length of history: `20td` trading days, `30d` calendar days, `30r` job runs.
struct HistorySpan: Sendable, Equatable, CustomStringConvertible {
    enum Unit: String, Sendable, CaseIterable {
        case tradingDays = "td"
        case days = "d"
        case runs = "r"
    }

    var count: Int
    var unit: Unit

    var description: String { "\(count)\(unit.rawValue)" }
}

/// A selector that reads the history instead of this evaluation's observations.
struct HistorySelector: Sendable {
    var metric: String
    var matchers: [LabelMatcher]
    /// `[20td]`: a range vector; nil for an instant selector with only an offset.
    var range: HistorySpan?
    var offset: HistorySpan?

    /// Job-run metrics count in runs; everything else in days.
    var readsRuns: Bool { HistoryFrame.runMetrics.contains(metric) }
}

extension ExpressionParser {
    /// `metric{…}[N unit]` and/or `offset N unit`, after the selector's matchers.
    mutating func parseHistory(metric: String, matchers: [LabelMatcher]) throws(ExpressionError) -> ExpressionNode {
        var selector = HistorySelector(metric: metric, matchers: matchers)
        if isSymbol("[") {
            advance()
            selector.range = try parseSpan(for: selector)
            try expect("]")
        }
        if identifier() == "offset" {
            advance()
            selector.offset = try parseSpan(for: selector)
        }
        return .history(selector)
    }

    private mutating func parseSpan(for selector: HistorySelector) throws(ExpressionError) -> HistorySpan {
        let start = token.offset
        guard case .number(let value) = token.kind else {
            throw unexpected("expected a length such as 20td (trading days), 30d (calendar days) or 30r (job runs)")
        }
        advance()
        guard let name = identifier(), let unit = HistorySpan.Unit(rawValue: name) else {
            throw .at(token.offset, "expected a unit after \(formatValue(value))",
                      "td (trading days), d (calendar days) or r (job runs); hours and minutes are not kept")
        }
        guard value >= 1, value <= 100_000, value == value.rounded() else {
            throw .at(start, "a history length must be a whole number of at least 1, got \(formatValue(value))")
        }
        advance()
        if selector.readsRuns != (unit == .runs) {
            let runs = HistoryFrame.runMetrics.sorted().joined(separator: ", ")
            throw .at(start, unit == .runs
                ? "\(selector.metric) is kept per trading day: use td or d, not r"
                : "\(selector.metric) is kept per job run: use r (job runs), not \(unit.rawValue)",
                      "job runs are counted for \(runs)")
        }
        return HistorySpan(count: Int(value), unit: unit)
    }

    /// A range vector is only an argument of a range function.
    static func rejectRange(_ node: ExpressionNode, at offset: Int) throws(ExpressionError) {
        guard node.type == .range else { return }
        throw .at(offset, "a range vector (m[20td]) must be the argument of a function",
                  "such as avg_over_time, quantile_over_time or zscore")
    }
}
