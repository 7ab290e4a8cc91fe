#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A standard five-field cron schedule (`minute hour day-of-month month day-of-week`) or a `@daily`-style
/// shorthand, evaluated on wall-clock time in a given zone.
///
/// As in Vixie cron, when both day fields are restricted (neither starts with `*`) a day matches if either
/// does; otherwise both must.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    /// The schedule as written.
    public let text: String
    var minutes: UInt64 = 0  // bits 0-59
    var hours: UInt64 = 0  // bits 0-23
    var daysOfMonth: UInt64 = 0  // bits 1-31
    var months: UInt64 = 0  // bits 1-12
    var daysOfWeek: UInt64 = 0  // bits 0-6, Sunday = 0
    var dayOfMonthRestricted = false
    var dayOfWeekRestricted = false

    public init(_ text: String) throws(CronError) {
        self.text = text
        try CronParser(text: text).parse(into: &self)
    }

    public var description: String { text }

    public static func == (lhs: CronSchedule, rhs: CronSchedule) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth
            && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
            && lhs.dayOfMonthRestricted == rhs.dayOfMonthRestricted
            && lhs.dayOfWeekRestricted == rhs.dayOfWeekRestricted
    }

    /// Years searched before giving up: Feb 29 can be eight years from the next (2096 → 2104).
    static let searchYears = 9

    /// The first scheduled instant strictly after `date`, or nil when none comes within nine years.
    public func next(after date: Date, in zone: TimeZoneRules) -> Date? {
        first(from: date, in: zone, forward: true) { $0 > date }
    }

    /// The latest scheduled instant at or before `date`, or nil when none came within nine years.
    public func previous(atOrBefore date: Date, in zone: TimeZoneRules) -> Date? {
        first(from: date, in: zone, forward: false) { $0 <= date }
    }

    /// Walks the schedule's local minutes away from `date`'s (month by month, forward or backward) to the first
    /// instant `accepts` takes; nil when none comes within the search horizon.
    private func first(from date: Date, in zone: TimeZoneRules, forward: Bool, accepts: (Date) -> Bool) -> Date? {
        guard canEverFire else { return nil }
        let start = zone.localDateTime(date)
        /// The part of `full` on `date`'s side of `pivot` (all of it when `narrow` is false), in walking order.
        func walk(_ full: ClosedRange<Int>, from pivot: Int, narrow: Bool) -> [Int] {
            guard narrow else { return forward ? Array(full) : Array(full.reversed()) }
            return forward ? Array(pivot...full.upperBound) : Array((full.lowerBound...pivot).reversed())
        }
        var year = start.date.year, month = start.date.month
        for _ in 0..<(Self.searchYears * 12 + 1) {
            if has(months, month) {
                let days = 1...LocalDate.daysIn(month: month, year: year)
                let startMonth = year == start.date.year && month == start.date.month
                for day in walk(days, from: start.date.day, narrow: startMonth) {
                    let local = LocalDate(year: year, month: month, day: day)
                    guard matches(local) else { continue }
                    let sameDay = local == start.date
                    for hour in walk(0...23, from: start.hour, narrow: sameDay) where has(hours, hour) {
                        let sameHour = sameDay && hour == start.hour
                        for minute in walk(0...59, from: start.minute, narrow: sameHour) where has(minutes, minute) {
                            let instant = zone.date(from: LocalDateTime(date: local, hour: hour, minute: minute))
                            if accepts(instant) { return instant }
                        }
                    }
                }
            }
            month += forward ? 1 : -1
            if month > 12 { (year, month) = (year + 1, 1) } else if month < 1 { (year, month) = (year - 1, 12) }
        }
        return nil
    }

    /// Whether `date` is a day the schedule runs on.
    func matches(_ date: LocalDate) -> Bool {
        guard has(months, date.month) else { return false }
        let byMonthDay = has(daysOfMonth, date.day)
        let byWeekday = has(daysOfWeek, date.weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonthDay || byWeekday }
        return byMonthDay && byWeekday
    }

    /// False for schedules such as `0 0 30 2 *` whose day of month never exists in their months.
    var canEverFire: Bool {
        if dayOfWeekRestricted && dayOfMonthRestricted { return true }
        if !dayOfMonthRestricted { return true }
        // Day of week is `*`: some chosen month must be long enough for some chosen day (February counts 29).
        let maxDays = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for month in 1...12 where has(months, month) {
            if bits(daysOfMonth, from: 1, through: maxDays[month]).first != nil { return true }
        }
        return false
    }

    private func has(_ set: UInt64, _ value: Int) -> Bool { set & (1 << UInt64(value)) != 0 }

    private func bits(_ set: UInt64, from low: Int, through high: Int) -> [Int] {
        guard low <= high else { return [] }
        return (low...high).filter { has(set, $0) }
    }
}

/// A cron expression that cannot be read: which field, and where in the text.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// `minute`, `hour`, `day of month`, `month`, `day of week`; nil for the expression as a whole.
    public var field: String?
    /// 1-based column in the expression.
    public var column: Int

    public init(_ message: String, field: String? = nil, column: Int) {
        self.message = message
        self.field = field
        self.column = column
    }

    /// `day of month field at column 5: 32 is out of range 1-31`
    public var description: String {
        if let field { return "\(field) field at column \(column): \(message)" }
        return "column \(column): \(message)"
    }
}
