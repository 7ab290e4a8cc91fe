#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The history a rule's range selectors read: daily figures of the factor files by trading date, and job runs
/// by finish time, with the trading calendar that says which days count. A value type, loaded once per
/// evaluation (or once per replay) so the expression evaluator stays pure.
public struct HistoryFrame: Sendable {
    public typealias DayValue = (date: LocalDate, value: Double)
    public typealias RunValue = (at: Double, value: Double)

    public var calendar: TradingCalendar
    /// The evaluation's local date: the newest stored day on or before it anchors every `td`/`d` range.
    public var today: LocalDate
    /// metric → identity labels → figures by ascending date (one per date).
    private(set) var days: [String: [Labels: [DayValue]]] = [:]
    /// metric → labels (`job`) → values by ascending finish time.
    private(set) var runs: [String: [Labels: [RunValue]]] = [:]
    /// Every date with a figure, ascending.
    private(set) var dates: [LocalDate] = []

    /// The job-run metrics a `[Nr]` range reads, and which figure of a run each is.
    public static let runMetrics: Set<String> = ["job_last_duration_seconds", "job_last_exit_code"]

    public init(calendar: TradingCalendar, today: LocalDate, points: [HistoryPoint] = [], runs: [RunPoint] = []) {
        self.calendar = calendar
        self.today = today
        var byDate: [String: [Labels: [LocalDate: Double]]] = [:]
        for point in points { byDate[point.metric, default: [:]][point.labels.identity, default: [:]][point.date] = point.value }
        setDays(byDate)
        for run in runs.sorted(by: { $0.finishedAt < $1.finishedAt }) {
            let labels: Labels = ["job": run.job]
            let at = run.finishedAt.timeIntervalSince1970
            self.runs["job_last_duration_seconds", default: [:]][labels, default: []].append((at, run.duration))
            self.runs["job_last_exit_code", default: [:]][labels, default: []].append((at, run.exitCode))
        }
    }

    private mutating func setDays(_ byDate: [String: [Labels: [LocalDate: Double]]]) {
        var all = Set<LocalDate>()
        days = byDate.mapValues { series in
            series.mapValues { values in
                all.formUnion(values.keys)
                return values.sorted { $0.key < $1.key }.map { (date: $0.key, value: $0.value) }
            }
        }
        dates = all.sorted()
    }

    /// This frame with one more day's figures (the file the evaluation is looking at now, not yet stored),
    /// replacing any stored figures of that date.
    public func adding(_ day: HistoryDay) -> HistoryFrame {
        var byDate: [String: [Labels: [LocalDate: Double]]] = [:]
        for (metric, series) in days {
            for (labels, values) in series {
                for value in values where value.date != day.date { byDate[metric, default: [:]][labels, default: [:]][value.date] = value.value }
            }
        }
        for observation in day.observations {
            byDate[observation.metric, default: [:]][observation.labels.identity, default: [:]][day.date] = observation.value
        }
        var copy = self
        copy.setDays(byDate)
        return copy
    }

    /// The date `td` and `d` ranges end at: the newest day with figures on or before `today`.
    public var anchor: LocalDate? {
        var low = 0, high = dates.count
        while low < high {
            let middle = (low + high) / 2
            if dates[middle] <= today { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : dates[low - 1]
    }

    func daySeries(_ metric: String) -> [Labels: [DayValue]] { days[metric] ?? [:] }
    func runSeries(_ metric: String) -> [Labels: [RunValue]] { runs[metric] ?? [:] }
}
