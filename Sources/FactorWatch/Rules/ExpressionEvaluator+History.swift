/// Range selectors and offsets over the history frame, and the functions that reduce a range to one value per
/// series. A day series' result carries `__date` = the anchor date, like the current file's own figures, so
/// `factor_std > 2 * avg_over_time(factor_std[20td] offset 1td)` pairs each factor with itself.
extension ExpressionEvaluator {
    /// One series of a range: its labels and its values, oldest first (NaN figures left out, as pandas skips them).
    typealias RangeSeries = (labels: Labels, values: [Double])

    func rangeCall(_ function: FunctionName, _ arguments: [ExpressionNode]) -> ExpressionValue {
        guard case .history(let selector) = arguments.last, let range = selector.range else { return .vector([]) }
        if function == .zscore { return .vector(zscores(selector, range: range)) }
        let parameter = arguments.count > 1 ? scalar((try? evaluate(arguments[0])) ?? .scalar(.nan)) : .nan
        var result: [Sample] = []
        for series in rangeSeries(selector, range: range, offsets: [selector.offset].compactMap { $0 })
        where !series.values.isEmpty {
            guard let value = Self.reduce(function, series.values, parameter: parameter) else { continue }
            result.append(Sample(labels: series.labels, value: value))
        }
        return .vector(result)
    }

    static func reduce(_ function: FunctionName, _ values: [Double], parameter: Double) -> Double? {
        switch function {
        case .avg_over_time: return values.reduce(0, +) / Double(values.count)
        case .sum_over_time: return values.reduce(0, +)
        case .min_over_time: return values.min()
        case .max_over_time: return values.max()
        case .count_over_time: return Double(values.count)
        case .last_over_time: return values.last
        case .stddev_over_time: return HistoryStatistics.standardDeviation(values)
        case .quantile_over_time: return HistoryStatistics.quantile(parameter, values)
        case .mad_over_time: return HistoryStatistics.medianAbsoluteDeviation(values)
        case .delta: return values.count < 2 ? nil : values.last! - values.first!
        default: return nil
        }
    }

    /// `zscore(m[N])`: how far each series' newest value (at the range's end) lies from the N units before it,
    /// in robust standard deviations: (x − median) / (1.4826 · MAD).
    private func zscores(_ selector: HistorySelector, range: HistorySpan) -> [Sample] {
        let latest = Dictionary(offsetSeries(selector, offset: selector.offset).map { ($0.labels, $0.value) },
                                uniquingKeysWith: { a, _ in a })
        let before = [selector.offset, HistorySpan(count: 1, unit: range.unit)].compactMap { $0 }
        var result: [Sample] = []
        for series in rangeSeries(selector, range: range, offsets: before) where !series.values.isEmpty {
            guard let x = latest[series.labels] else { continue }
            let median = HistoryStatistics.quantile(0.5, series.values)
            let spread = HistoryStatistics.medianAbsoluteDeviation(series.values) * HistoryStatistics.madScale
            result.append(Sample(labels: series.labels, value: (x - median) / spread))
        }
        return result
    }

    func offsetSamples(_ selector: HistorySelector) -> [Sample] {
        offsetSeries(selector, offset: selector.offset).map { Sample(labels: $0.labels, value: $0.value) }
    }

    /// Each series' one value at the end of the offset: the figure of that day, or the run that many runs back.
    private func offsetSeries(_ selector: HistorySelector, offset: HistorySpan?) -> [(labels: Labels, value: Double)] {
        rangeSeries(selector, range: HistorySpan(count: 1, unit: selector.readsRuns ? .runs : .days),
                    offsets: [offset].compactMap { $0 }, exactEnd: true).compactMap { series in
            series.values.last.map { (series.labels, $0) }
        }
    }

    /// The values of every matching series within `range`, ending `offsets` before the anchor (days) or before
    /// the evaluation time (runs). With `exactEnd`, a day series must have a figure on the end date itself.
    func rangeSeries(_ selector: HistorySelector, range: HistorySpan, offsets: [HistorySpan],
                     exactEnd: Bool = false) -> [RangeSeries] {
        guard let history else { return [] }
        if selector.readsRuns {
            let skipped = offsets.reduce(0) { $0 + $1.count }
            return history.runSeries(selector.metric).filter { matches($0.key, selector.matchers) }.map { entry in
                let done = entry.value.prefix { $0.at <= time }.dropLast(skipped)
                return (entry.key, done.suffix(range.count).map(\.value).filter { !$0.isNaN })
            }.sorted { $0.labels < $1.labels }
        }
        guard let anchor = history.anchor else { return [] }
        let end = offsets.reduce(anchor) { HistoryWindow.end($0, offset: $1, calendar: history.calendar) }
        let window = HistoryWindow(end: end, span: range, calendar: history.calendar)
        let labelled = Labels.annotationPrefix + "date"
        return history.daySeries(selector.metric).filter { matches($0.key, selector.matchers) }.compactMap { entry in
            if exactEnd && entry.value.last(where: { $0.date <= end })?.date != end { return nil }
            let values = entry.value.filter { window.contains($0.date) && !$0.value.isNaN }.map(\.value)
            return (entry.key.setting(labelled, anchor.yyyymmdd), values)
        }.sorted { $0.labels < $1.labels }
    }

    private func matches(_ labels: Labels, _ matchers: [LabelMatcher]) -> Bool {
        matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }
}

/// The days a `td` or `d` range covers, ending at (and including) `end`.
struct HistoryWindow {
    let start: LocalDate
    let end: LocalDate
    let tradingDaysOnly: Bool
    let calendar: TradingCalendar

    init(end: LocalDate, span: HistorySpan, calendar: TradingCalendar) {
        self.end = end
        self.calendar = calendar
        tradingDaysOnly = span.unit == .tradingDays
        if tradingDaysOnly {
            var day = calendar.isOpen(end) ? end : calendar.previousTradingDay(before: end)
            for _ in 1..<max(span.count, 1) { day = calendar.previousTradingDay(before: day) }
            start = day
        } else {
            start = end.adding(days: 1 - span.count)
        }
    }

    func contains(_ day: LocalDate) -> Bool {
        day >= start && day <= end && (!tradingDaysOnly || calendar.isOpen(day))
    }

    /// The day a range ends at: the anchor, moved back by the offset (trading or calendar days).
    static func end(_ anchor: LocalDate, offset: HistorySpan, calendar: TradingCalendar) -> LocalDate {
        switch offset.unit {
        case .days: return anchor.adding(days: -offset.count)
        case .runs: return anchor
        case .tradingDays:
            var day = anchor
            for _ in 0..<offset.count { day = calendar.previousTradingDay(before: day) }
            return day
        }
    }
}

extension FunctionName {
    /// The functions whose (last) argument is a range vector.
    var readsRange: Bool { parameters.last == .range }
}

extension ExpressionNode {
    var readsHistory: Bool {
        switch self {
        case .number, .selector: return false
        case .history: return true
        case .negate(let operand): return operand.readsHistory
        case .binary(_, let lhs, let rhs, _, _): return lhs.readsHistory || rhs.readsHistory
        case .aggregate(_, let parameter, let argument, _):
            return argument.readsHistory || (parameter?.readsHistory ?? false)
        case .call(_, let arguments): return arguments.contains { $0.readsHistory }
        }
    }
}

/// The statistics of the range functions, as Prometheus and pandas define them.
enum HistoryStatistics {
    /// 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normal data (scipy's `scale="normal"`).
    static let madScale = 1.482602218505602

    /// Population standard deviation (ddof = 0), as Prometheus' `stddev_over_time`.
    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count)).squareRoot()
    }

    /// Linear interpolation between closest ranks (pandas' default, Prometheus' `quantile_over_time`);
    /// φ outside [0, 1] gives ∓Inf as in Prometheus.
    static func quantile(_ phi: Double, _ values: [Double]) -> Double {
        if phi.isNaN || values.isEmpty { return .nan }
        if phi < 0 { return -.infinity }
        if phi > 1 { return .infinity }
        let sorted = values.sorted()
        let rank = phi * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }

    /// Median absolute deviation from the median, unscaled (pandas: `(s - s.median()).abs().median()`).
    static func medianAbsoluteDeviation(_ values: [Double]) -> Double {
        let median = quantile(0.5, values)
        return quantile(0.5, values.map { Swift.abs($0 - median) })
    }
}
