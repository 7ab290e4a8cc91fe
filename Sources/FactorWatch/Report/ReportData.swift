#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the report shows, read from the state database: the last N trading days of every factor's figures,
/// the rules' fixed thresholds, the days alerts fired, job durations and the notification timeline.
struct ReportData {
    /// The trading days shown, oldest first.
    var days: [LocalDate] = []
    /// metric → identity labels → date → value.
    var figures: [String: [Labels: [LocalDate: Double]]] = [:]
    var alertHistory: [StateStore.HistoryEntry] = []
    var runs: [RunPoint] = []
    var audit: [AuditEntry] = []
    var rules: [Rule] = []
    var zone: TimeZoneRules = .utc

    static let panelMetrics = ["factor_missing_fraction", "factor_std", "factor_rank_corr", "factor_day_over_day_corr",
                               "factor_rows"]

    init(store: StateStore, rules: [Rule], calendar: TradingCalendar, zone: TimeZoneRules, count: Int, now: Date)
        throws {
        let today = zone.localDate(now)
        self.rules = rules
        self.zone = zone
        let history = try HistoryStore(store: store)
        guard let newest = try history.dates().last(where: { $0 <= today }) else {
            runs = try history.runs(to: now)
            audit = try history.notifications(to: now).suffix(200).map { $0 }
            return
        }
        let window = HistoryWindow(end: newest, span: HistorySpan(count: count, unit: .tradingDays), calendar: calendar)
        var day = window.start
        while day <= newest {
            if calendar.isOpen(day) { days.append(day) }
            day = day.adding(days: 1)
        }
        for point in try history.points(metrics: Set(Self.panelMetrics), from: window.start, to: newest) {
            figures[point.metric, default: [:]][point.labels, default: [:]][point.date] = point.value
        }
        let since = zone.date(from: LocalDateTime(date: window.start))
        alertHistory = try store.history(limit: 5_000).filter { $0.at >= since }
        runs = try history.runs(to: now).filter { $0.finishedAt >= since }
        audit = try history.notifications(from: since, to: now)
    }

    /// The factors with figures: the `factor` label of `factor_std` (the numeric columns), else the columns of
    /// `factor_missing_fraction`.
    var factors: [String] {
        let numeric = (figures["factor_std"] ?? [:]).keys.compactMap { $0["factor"] }
        let named = numeric.isEmpty ? (figures["factor_missing_fraction"] ?? [:]).keys.compactMap { $0["column"] } : numeric
        return Array(Set(named)).sorted()
    }

    func series(_ metric: String, label: String, _ name: String) -> [Double?] {
        let series = figures[metric]?.first { $0.key[label] == name }?.value ?? [:]
        return days.map { series[$0] }
    }

    /// Stocks with a value: rows × (1 − missing fraction).
    func coverage(_ name: String) -> [Double?] {
        let rows = figures["factor_rows"]?.values.first ?? [:]
        return zip(days, series("factor_missing_fraction", label: "column", name)).map { day, missing in
            guard let missing, let count = rows[day] else { return nil }
            return count * (1 - missing)
        }
    }

    /// The fixed thresholds rules compare `metric` with (`factor_missing_fraction > 0.2`), named by rule.
    func thresholds(_ metric: String) -> [(value: Double, label: String)] {
        var labels: [Double: [String]] = [:]
        for rule in rules {
            for (value, op) in Self.constants(rule.expression.root, metric: metric) {
                labels[value, default: []].append("\(rule.name): \(metric) \(op) \(formatValue(value))")
            }
        }
        return labels.keys.sorted().map { ($0, labels[$0]!.joined(separator: "; ")) }
    }

    private static func constants(_ node: ExpressionNode, metric: String) -> [(Double, String)] {
        guard case .binary(let op, let lhs, let rhs, _, _) = node else { return [] }
        if op.isSetOperator { return constants(lhs, metric: metric) + constants(rhs, metric: metric) }
        guard op.isComparison else { return [] }
        switch (lhs, rhs) {
        case (.selector(let name, _), .number(let value)) where name == metric: return [(value, op.rawValue)]
        case (.number(let value), .selector(let name, _)) where name == metric: return [(value, op.rawValue)]
        default: return []
        }
    }

    /// The slots of the days a rule reading `metric` fired for `name` (the alert's factor or column label). A
    /// firing before noon is about the night's file, the trading day before; later, about that day's.
    func firedSlots(_ metric: String, _ name: String) -> Set<Int> {
        let readers = Set(rules.filter { $0.expression.selectedMetrics.contains(metric) }.map(\.name))
        var slots = Set<Int>()
        for entry in alertHistory where entry.to == "firing" && readers.contains(entry.key.rule) {
            guard entry.key.labels["factor"] == name || entry.key.labels["column"] == name else { continue }
            let local = zone.localDateTime(entry.at)
            let day = local.hour < 12 ? local.date.adding(days: -1) : local.date
            if let slot = days.lastIndex(where: { $0 <= day }) { slots.insert(slot) }
        }
        return slots
    }
}
