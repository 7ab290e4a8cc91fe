#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A cron schedule written in one zone (the exchange's) rewritten for a cron daemon that runs in another (the
/// host's): Debian's cron ignores CRON_TZ, so the times themselves must move. The shift is the difference of the
/// two zones' offsets at one instant; `CronConversion.clockChange` says until when it holds.
enum CronConversion {
    struct Inexact: Error, CustomStringConvertible {
        var description: String
    }

    /// The five-field lines (several when minutes land on different days or hours differently) that fire at the
    /// same instants as `schedule` shifted by `minutes` (host offset minus configured offset).
    static func convert(_ schedule: CronSchedule, shiftMinutes minutes: Int) throws(Inexact) -> [String] {
        let fields = fiveFields(schedule.text)
        guard minutes != 0 else { return [fields.joined(separator: " ")] }
        // Every (hour, minute) the schedule fires at, moved; grouped by the day it lands on, then by hour.
        var byDay: [Int: [Int: UInt64]] = [:]
        for hour in 0..<24 where schedule.hours & (1 << UInt64(hour)) != 0 {
            for minute in 0..<60 where schedule.minutes & (1 << UInt64(minute)) != 0 {
                let moved = hour * 60 + minute + minutes
                let day = Int((Double(moved) / 1_440).rounded(.down))
                let local = moved - day * 1_440
                byDay[day, default: [:]][local / 60, default: 0] |= 1 << UInt64(local % 60)
            }
        }
        var lines: [String] = []
        for day in byDay.keys.sorted() {
            let days = try shiftedDays(schedule, fields: fields, by: day)
            // Hours that share a minute set share a line.
            var hoursByMinutes: [UInt64: UInt64] = [:]
            for (hour, minuteSet) in byDay[day]! { hoursByMinutes[minuteSet, default: 0] |= 1 << UInt64(hour) }
            for (minuteSet, hourSet) in hoursByMinutes.sorted(by: { $0.value.trailingZeroBitCount < $1.value.trailingZeroBitCount }) {
                lines.append("\(render(minuteSet, 0...59)) \(render(hourSet, 0...23)) \(days)")
            }
        }
        return lines
    }

    /// The day-of-month, month and day-of-week fields moved `shift` days (-1, 0, +1), or why that is not exact.
    private static func shiftedDays(_ schedule: CronSchedule, fields: [String], by shift: Int) throws(Inexact)
        -> String {
        guard shift != 0 else { return fields[2...].joined(separator: " ") }
        let monthsAll = schedule.months == bits(1...12)
        let domStar = fields[2] == "*", dowStar = fields[4] == "*"
        if domStar && dowStar && monthsAll { return "* * *" }
        guard monthsAll else {
            throw Inexact(description: "the month field would change at month ends")
        }
        var dom = "*", dow = "*"
        if !domStar {
            guard schedule.dayOfMonthRestricted else {
                throw Inexact(description: "a stepped day of month would change at month ends")
            }
            var moved: UInt64 = 0
            for day in 1...31 where schedule.daysOfMonth & (1 << UInt64(day)) != 0 {
                // Days 1-28 exist in every month; past them the day before or after depends on the month.
                guard (1...28).contains(day), (1...28).contains(day + shift) else {
                    throw Inexact(description: "day of month \(day) would move to another month's day")
                }
                moved |= 1 << UInt64(day + shift)
            }
            dom = render(moved, 1...31)
        }
        if !dowStar {
            guard schedule.dayOfWeekRestricted else {
                throw Inexact(description: "a stepped day of week cannot move")
            }
            var moved: UInt64 = 0
            for day in 0...6 where schedule.daysOfWeek & (1 << UInt64(day)) != 0 {
                moved |= 1 << UInt64((day + shift + 7) % 7)
            }
            dow = render(moved, 0...6)
        }
        return "\(dom) * \(dow)"
    }

    /// The schedule's five fields as written (shorthands expanded).
    static func fiveFields(_ text: String) -> [String] {
        let trimmed = text.trimmed()
        let expanded = CronParser.shorthands[trimmed.lowercased()] ?? trimmed
        return expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    static func bits(_ range: ClosedRange<Int>) -> UInt64 {
        range.reduce(0) { $0 | (1 << UInt64($1)) }
    }

    /// A bit set as a cron field: `*`, `*/5`, `a-b/k`, or ranges and values joined by commas.
    static func render(_ set: UInt64, _ range: ClosedRange<Int>) -> String {
        let values = range.filter { set & (1 << UInt64($0)) != 0 }
        if values.count == range.count { return "*" }
        if values.count >= 3 {
            let step = values[1] - values[0]
            if step > 1, zip(values, values.dropFirst()).allSatisfy({ $1 - $0 == step }) {
                let fills = values.first! == range.lowerBound && values.last! + step > range.upperBound
                return fills ? "*/\(step)" : "\(values.first!)-\(values.last!)/\(step)"
            }
        }
        return ranges(values, "-") { String($0) }
    }

    /// Ascending values as runs: three or more consecutive ones as `a<dash>b`, the rest one by one, comma-joined.
    static func ranges(_ values: [Int], _ dash: String, _ text: (Int) -> String) -> String {
        var parts: [String] = []
        var index = 0
        while index < values.count {
            var end = index
            while end + 1 < values.count, values[end + 1] == values[end] + 1 { end += 1 }
            parts.append(end - index >= 2 ? text(values[index]) + dash + text(values[end])
                         : (index...end).map { text(values[$0]) }.joined(separator: ","))
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// The first instant after `date` within a year at which either zone changes its offset, found by stepping a
    /// day at a time and then halving; nil when neither changes (no daylight saving time).
    static func clockChange(after date: Date, _ a: TimeZoneRules, _ b: TimeZoneRules) -> Date? {
        func offsets(_ at: Date) -> (Int, Int) { (a.offset(at: at), b.offset(at: at)) }
        let start = offsets(date)
        var low = date
        for day in 1...366 {
            let high = date.addingTimeInterval(Double(day) * 86_400)
            if offsets(high) != start {
                var (lo, hi) = (low.timeIntervalSince1970, high.timeIntervalSince1970)
                while hi - lo > 1 {
                    let mid = ((lo + hi) / 2).rounded(.down)
                    if offsets(Date(timeIntervalSince1970: mid)) == start { lo = mid } else { hi = mid }
                }
                return Date(timeIntervalSince1970: hi)
            }
            low = high
        }
        return nil
    }
}
