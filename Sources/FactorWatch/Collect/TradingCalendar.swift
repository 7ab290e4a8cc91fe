/// Which days the exchange is open.
public struct TradingCalendar: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Monday to Friday, every week, forever.
        case weekdays
        /// Open days listed in a file (Tushare `trade_cal` CSV); days outside `covered` are unknown.
        case table(openDays: Set<LocalDate>, covered: ClosedRange<LocalDate>, path: String)
    }

    public let source: Source

    public static let weekdays = TradingCalendar(source: .weekdays)

    public init(source: Source) { self.source = source }

    /// Whether the exchange trades on `day`. Outside a table's range, falls back to weekdays.
    public func isOpen(_ day: LocalDate) -> Bool {
        switch source {
        case .weekdays:
            return !day.isWeekend
        case .table(let openDays, let covered, _):
            return covered.contains(day) ? openDays.contains(day) : !day.isWeekend
        }
    }

    /// The last day the calendar knows, or nil for an unbounded one.
    public var lastCoveredDay: LocalDate? {
        if case .table(_, let covered, _) = source { return covered.upperBound }
        return nil
    }

    /// Trading days strictly after `start` and strictly before `end`.
    public func tradingDays(after start: LocalDate, before end: LocalDate) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day < end {
            if isOpen(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The most recent trading day strictly before `day`.
    public func previousTradingDay(before day: LocalDate) -> LocalDate {
        var candidate = day.adding(days: -1)
        var steps = 0
        while !isOpen(candidate) && steps < 366 {
            candidate = candidate.adding(days: -1)
            steps += 1
        }
        return candidate
    }
}
