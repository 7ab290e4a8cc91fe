#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns one evaluation's observations into history: the figures of each factor file by its trading date
/// (written when the file is new or changed, not at every cron tick), the notifications the evaluation sent,
/// and the retention that keeps the file bounded.
public struct HistoryRecorder: Sendable {
    /// The metrics kept per trading day: those of the factor-file collectors.
    public let dayMetrics: Set<String>
    /// Trading days kept, counted back from the newest stored day.
    public let retention: Int
    public let calendar: TradingCalendar

    /// About three years of trading days on the Shanghai and Shenzhen exchanges (~243 a year).
    public static let defaultRetention = 750

    public init(dayMetrics: Set<String>, retention: Int = HistoryRecorder.defaultRetention,
                calendar: TradingCalendar) {
        self.dayMetrics = dayMetrics
        self.retention = retention
        self.calendar = calendar
    }

    public init(configuration: Configuration) {
        self.init(dayMetrics: Self.dayMetrics(of: configuration.collectors), retention: configuration.historyRetention,
                  calendar: configuration.calendar)
    }

    /// The metric names of the configured factor-file quality collectors, less those that describe the
    /// evaluation rather than the file.
    public static func dayMetrics(of collectors: [any Collector]) -> Set<String> {
        Set(collectors.filter { $0 is FactorQualityCollector }.flatMap(\.metricNames)).subtracting(notOfTheFile)
    }

    /// `factor_observations_reused` says whether this evaluation re-read the file, not what the file holds.
    static let notOfTheFile: Set<String> = ["factor_observations_reused"]

    /// The factor-file figures among `observations`, one day per `__date` they carry.
    public func days(in observations: [Observation]) -> [HistoryDay] {
        Self.days(in: observations, metrics: dayMetrics)
    }

    static func days(in observations: [Observation], metrics: Set<String>) -> [HistoryDay] {
        var byDate: [LocalDate: [Observation]] = [:]
        for observation in observations where metrics.contains(observation.metric) {
            guard let text = observation.labels[Labels.annotationPrefix + "date"], let date = LocalDate(text) else {
                continue
            }
            byDate[date, default: []].append(observation)
        }
        return byDate.keys.sorted().map { HistoryDay(date: $0, observations: byDate[$0]!) }
    }

    /// Records the evaluation's days and notifications; returns the days written (0 when every file was
    /// already stored as it is). Prunes past the retention only when a day was written.
    @discardableResult
    public func record(observations: [Observation], notifications: [NotificationReport], store: HistoryStore,
                       source: String, at now: Date) throws -> Int {
        var written = 0
        for day in days(in: observations) {
            if try store.record(day, source: source, at: now) { written += 1 }
        }
        try store.recordNotifications(notifications, at: now)
        if written > 0, let newest = try store.dates().last {
            try store.prune(before: oldestKept(newest: newest), notificationsBefore: now.addingTimeInterval(
                -Double(retention) * 86_400 * 365 / 243))
        }
        return written
    }

    /// The oldest day the retention keeps: `retention` trading days ending at `newest`.
    func oldestKept(newest: LocalDate) -> LocalDate {
        HistoryWindow(end: newest, span: HistorySpan(count: retention, unit: .tradingDays), calendar: calendar).start
    }
}
