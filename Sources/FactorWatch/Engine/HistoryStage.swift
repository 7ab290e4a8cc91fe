#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The evaluation's use of the history: before the rules, the frame their range selectors read (the stored days
/// plus the file seen now, and the recorded job runs); after the evaluation's commit, the new days and the
/// notifications sent.
public struct HistoryStage: Sendable {
    public let configuration: Configuration
    public let recorder: HistoryRecorder

    public init(configuration: Configuration) {
        self.configuration = configuration
        recorder = HistoryRecorder(configuration: configuration)
    }

    /// The history the rules read at `now`, or nil when no rule reads any.
    public func frame(store: any EvaluationStore, observations: [Observation], now: Date) throws -> HistoryFrame? {
        let rules = configuration.rules
        let expressions = rules.map(\.expression) + rules.compactMap(\.clear)
        guard expressions.contains(where: \.readsHistory) else { return nil }
        // The file seen now counts as its day, whichever collector (or rule test) reported it.
        let read = Set(expressions.flatMap(\.historySelectors).filter { !$0.readsRuns }.map(\.metric))
        return try Self.frame(history: store.historyStore(), expressions: expressions,
                              current: HistoryRecorder.days(in: observations, metrics: read),
                              calendar: configuration.calendar, today: configuration.zone.localDate(now), now: now)
    }

    /// Loads only the metrics the expressions read, from far enough back for their longest range.
    static func frame(history: HistoryStore, expressions: [RuleExpression], current: [HistoryDay],
                      calendar: TradingCalendar, today: LocalDate, now: Date) throws -> HistoryFrame {
        let selectors = expressions.flatMap(\.historySelectors)
        let metrics = Set(selectors.filter { !$0.readsRuns }.map(\.metric))
        let stored = try history.dates().last { $0 <= today }
        let newest = ([stored].compactMap { $0 } + current.map(\.date).filter { $0 <= today }).max() ?? today
        let from = selectors.map { $0.earliestDay(from: newest, calendar: calendar) }.min() ?? newest
        let runs = selectors.contains(where: \.readsRuns) ? try history.runs(to: now) : []
        var frame = HistoryFrame(calendar: calendar, today: today,
                                 points: try history.points(metrics: metrics, from: from, to: today), runs: runs)
        for day in current where day.date <= today { frame = frame.adding(day) }
        return frame
    }

    /// Stores what a committed evaluation saw and sent. History is an account, not state: a failure to write
    /// it is returned as a message and never undoes the evaluation.
    public func record(observations: [Observation], notifications: [NotificationReport], store: any EvaluationStore,
                       now: Date) -> String? {
        do {
            let history = try store.historyStore()
            try store.transaction {
                try recorder.record(observations: observations, notifications: notifications, store: history,
                                    source: "eval", at: now)
            }
            return nil
        } catch {
            return "\(configuration.statePath): the day's history was not recorded: \(error)"
        }
    }
}

extension RuleExpression {
    /// The range selectors and offsets of the expression.
    var historySelectors: [HistorySelector] { root.historySelectors }
}

extension ExpressionNode {
    var historySelectors: [HistorySelector] {
        switch self {
        case .number, .selector: return []
        case .history(let selector): return [selector]
        case .negate(let operand): return operand.historySelectors
        case .binary(_, let lhs, let rhs, _, _): return lhs.historySelectors + rhs.historySelectors
        case .aggregate(_, let parameter, let argument, _):
            return argument.historySelectors + (parameter?.historySelectors ?? [])
        case .call(_, let arguments): return arguments.flatMap(\.historySelectors)
        }
    }
}

extension HistorySelector {
    /// The oldest day this selector can read when the newest day is `newest` (one unit more, for `zscore`).
    func earliestDay(from newest: LocalDate, calendar: TradingCalendar) -> LocalDate {
        let spans = [offset, range, HistorySpan(count: 1, unit: range?.unit ?? .days)].compactMap { $0 }
        var day = newest
        for span in spans {
            switch span.unit {
            case .runs: continue
            case .days: day = day.adding(days: -span.count)
            case .tradingDays:
                for _ in 0..<span.count { day = calendar.previousTradingDay(before: day) }
            }
        }
        return day
    }
}
