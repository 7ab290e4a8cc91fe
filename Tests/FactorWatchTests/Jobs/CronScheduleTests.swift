import Foundation
import Testing
@testable import FactorWatch

/// Cron schedules against wall-clock times; `at` reads a Shanghai time, `utc` a UTC one.
struct CronScheduleTests {
    func utc(_ text: String) -> Date { Timestamp.parse(text, in: .utc)! }

    func nextTimes(_ expression: String, after start: String, count: Int, zone: TimeZoneRules = .utc) throws
        -> [String]
    {
        let schedule = try CronSchedule(expression)
        var result: [String] = []
        var cursor = Timestamp.parse(start, in: zone)!
        for _ in 0..<count {
            guard let next = schedule.next(after: cursor, in: zone) else { break }
            result.append(String(Timestamp.format(next, in: zone).prefix(16)))
            cursor = next
        }
        return result
    }

    @Test func everyFifteenMinutes() throws {
        #expect(try nextTimes("*/15 * * * *", after: "2026-11-24T23:31", count: 4) == [
            "2026-11-24T23:45", "2026-11-25T00:00", "2026-11-25T00:15", "2026-11-25T00:30",
        ])
    }

    @Test func nextIsStrictlyAfterAndPreviousIncludesTheInstant() throws {
        let daily = try CronSchedule("30 2 * * *")
        #expect(daily.next(after: utc("2026-11-24T02:30"), in: .utc) == utc("2026-11-25T02:30"))
        #expect(daily.previous(atOrBefore: utc("2026-11-24T02:30"), in: .utc) == utc("2026-11-24T02:30"))
        #expect(daily.previous(atOrBefore: utc("2026-11-24T02:29:59"), in: .utc) == utc("2026-11-23T02:30"))
        #expect(daily.next(after: utc("2026-11-24T02:29:59"), in: .utc) == utc("2026-11-24T02:30"))
    }

    @Test func rangesListsAndStepsOnRanges() throws {
        #expect(try nextTimes("0-30/10 9 * * *", after: "2026-11-24T09:05", count: 4) == [
            "2026-11-24T09:10", "2026-11-24T09:20", "2026-11-24T09:30", "2026-11-25T09:00",
        ])
        #expect(try nextTimes("0 1,15 * * 1-5", after: "2026-11-27T12:00", count: 3) == [
            "2026-11-27T15:00", "2026-11-30T01:00", "2026-11-30T15:00",
        ])
    }

    @Test func namesAndSevenForSunday() throws {
        #expect(try CronSchedule("0 3 * * SUN") == CronSchedule("0 3 * * 7"))
        #expect(try CronSchedule("0 3 * * sun") == CronSchedule("0 3 * * 0"))
        #expect(try CronSchedule("0 0 1 jan-mar *") == CronSchedule("0 0 1 1,2,3 *"))
        #expect(try CronSchedule("0 0 * * 5-7") == CronSchedule("0 0 * * 0,5,6"))
        // 2026-11-29 is a Sunday.
        #expect(try nextTimes("0 3 * * 7", after: "2026-11-24T00:00", count: 2) == [
            "2026-11-29T03:00", "2026-12-06T03:00",
        ])
    }

    @Test func shorthands() throws {
        #expect(try CronSchedule("@daily") == CronSchedule("0 0 * * *"))
        #expect(try CronSchedule("@hourly") == CronSchedule("0 * * * *"))
        #expect(try CronSchedule("@weekly") == CronSchedule("0 0 * * 0"))
        #expect(try CronSchedule("@monthly") == CronSchedule("0 0 1 * *"))
        #expect(try CronSchedule("@yearly") == CronSchedule("0 0 1 1 *"))
        #expect(try CronSchedule(" @Daily ").text == " @Daily ")
    }

    @Test func thirtyFirstSkipsShortMonths() throws {
        #expect(try nextTimes("0 0 31 * *", after: "2026-01-31T12:00", count: 4) == [
            "2026-03-31T00:00", "2026-05-31T00:00", "2026-07-31T00:00", "2026-08-31T00:00",
        ])
    }

    @Test func februaryTwentyNinthOnlyInLeapYears() throws {
        #expect(try nextTimes("0 0 29 2 *", after: "2026-01-01T00:00", count: 3) == [
            "2028-02-29T00:00", "2032-02-29T00:00", "2036-02-29T00:00",
        ])
        // 2100 is not a leap year: eight years between 2096 and 2104.
        #expect(try nextTimes("0 0 29 2 *", after: "2096-03-01T00:00", count: 1) == ["2104-02-29T00:00"])
        let schedule = try CronSchedule("0 0 29 2 *")
        #expect(schedule.previous(atOrBefore: utc("2026-06-01T00:00"), in: .utc) == utc("2024-02-29T00:00"))
    }

    @Test func eitherDayFieldMatchesWhenBothAreRestricted() throws {
        // The 1st, the 15th, and every Friday.
        #expect(try nextTimes("0 0 1,15 * 5", after: "2026-11-24T00:00", count: 4) == [
            "2026-11-27T00:00", "2026-12-01T00:00", "2026-12-04T00:00", "2026-12-11T00:00",
        ])
        // A starred day of month keeps the day-of-week restriction alone, even with a step.
        #expect(try nextTimes("0 0 */1 * 5", after: "2026-11-24T00:00", count: 2) == [
            "2026-11-27T00:00", "2026-12-04T00:00",
        ])
    }

    @Test func wallClockInShanghaiDiffersFromUTC() throws {
        let schedule = try CronSchedule("0 3 * * *")
        let shanghai = try TimeZoneRules(identifier: "Asia/Shanghai")
        let now = utc("2026-11-24T12:00")
        #expect(schedule.next(after: now, in: shanghai) == utc("2026-11-24T19:00"))
        #expect(schedule.next(after: now, in: .utc) == utc("2026-11-25T03:00"))
        #expect(schedule.previous(atOrBefore: now, in: shanghai) == utc("2026-11-23T19:00"))
    }

    @Test func daylightSavingGapAndOverlapFireOnce() throws {
        let newYork = try TimeZoneRules(identifier: "America/New_York")
        // 2026-03-08 02:30 does not exist in New York: the run moves to the first instant after the gap.
        let gap = try CronSchedule("30 2 * * *")
        let spring = try #require(gap.next(after: utc("2026-03-07T12:00"), in: newYork))
        #expect(spring == utc("2026-03-08T07:30"))
        #expect(gap.next(after: spring, in: newYork) == utc("2026-03-09T06:30"))
        // 2026-11-01 01:30 happens twice: the schedule fires at the first and not again that night.
        let overlap = try CronSchedule("30 1 * * *")
        let autumn = try #require(overlap.next(after: utc("2026-10-31T12:00"), in: newYork))
        #expect(autumn == utc("2026-11-01T05:30"))
        #expect(overlap.next(after: autumn, in: newYork) == utc("2026-11-02T06:30"))
        #expect(overlap.previous(atOrBefore: utc("2026-11-01T06:45"), in: newYork) == utc("2026-11-01T05:30"))
    }

    @Test func aroundMidnight() throws {
        let schedule = try CronSchedule("55 23 * * *")
        #expect(schedule.next(after: utc("2026-12-31T23:56"), in: .utc) == utc("2027-01-01T23:55"))
        #expect(schedule.previous(atOrBefore: utc("2027-01-01T00:05"), in: .utc) == utc("2026-12-31T23:55"))
        let midnight = try CronSchedule("0 0 * * *")
        #expect(midnight.next(after: utc("2026-11-24T23:59:59"), in: .utc) == utc("2026-11-25T00:00"))
        #expect(midnight.previous(atOrBefore: utc("2026-11-25T00:00:30"), in: .utc) == utc("2026-11-25T00:00"))
        #expect(midnight.previous(atOrBefore: utc("2026-11-24T23:59:59"), in: .utc) == utc("2026-11-24T00:00"))
    }

    @Test func previousAcrossAYearBoundaryOnAWeekday() throws {
        let weekly = try CronSchedule("0 3 * * 0")
        // 2027-01-01 is a Friday; the Sunday before is 2026-12-27.
        #expect(weekly.previous(atOrBefore: utc("2027-01-01T10:00"), in: .utc) == utc("2026-12-27T03:00"))
    }

    @Test func impossibleDateNeverFiresAndAnswersQuickly() throws {
        let start = ContinuousClock.now
        for text in ["0 0 30 2 *", "0 0 31 4,6,9,11 *"] {
            let schedule = try CronSchedule(text)
            #expect(schedule.next(after: utc("2026-01-01T00:00"), in: .utc) == nil)
            #expect(schedule.previous(atOrBefore: utc("2026-01-01T00:00"), in: .utc) == nil)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func searchIsBoundedForRareSchedules() throws {
        // Feb 29 that is also a Monday, with the OR rule: any Monday in February fires, so this is frequent.
        let rare = try CronSchedule("0 0 29 2 1")
        #expect(rare.next(after: utc("2026-03-01T00:00"), in: .utc) == utc("2027-02-01T00:00"))
        let start = ContinuousClock.now
        for _ in 0..<50 { _ = try CronSchedule("59 23 29 2 *").next(after: utc("2097-03-01T00:00"), in: .utc) }
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    struct BadCase: Sendable, CustomStringConvertible {
        let text: String
        let field: String?
        let column: Int
        let fragment: String
        var description: String { text }
    }

    static let badCases: [BadCase] = [
        BadCase(text: "61 * * * *", field: "minute", column: 1, fragment: "61 is out of range 0-59"),
        BadCase(text: "0 24 * * *", field: "hour", column: 3, fragment: "out of range 0-23"),
        BadCase(text: "0 0 32 * *", field: "day of month", column: 5, fragment: "out of range 1-31"),
        BadCase(text: "0 0 0 * *", field: "day of month", column: 5, fragment: "out of range 1-31"),
        BadCase(text: "0 0 * 13 *", field: "month", column: 7, fragment: "out of range 1-12"),
        BadCase(text: "0 0 * * 8", field: "day of week", column: 9, fragment: "out of range 0-7"),
        BadCase(text: "0 0 * FOO *", field: "month", column: 7, fragment: "\"FOO\" is not a number 1-12 or a name"),
        BadCase(text: "*/0 * * * *", field: "minute", column: 3, fragment: "step \"0\" must be a positive number"),
        BadCase(text: "0 5-1 * * *", field: "hour", column: 3, fragment: "range 5-1 runs backwards"),
        BadCase(text: "0 1,,2 * * *", field: "hour", column: 5, fragment: "empty list item"),
        BadCase(text: "0 1,2 * * 1-9", field: "day of week", column: 13, fragment: "9 is out of range"),
        BadCase(text: "0 0 * *", field: nil, column: 8, fragment: "expected 5 fields"),
        BadCase(text: "0 0 * * * root", field: nil, column: 11, fragment: "found 6"),
        BadCase(text: "@reboot", field: nil, column: 1, fragment: "unknown shorthand \"@reboot\""),
        BadCase(text: "@daily 5", field: nil, column: 8, fragment: "nothing may follow @daily"),
    ]

    @Test(arguments: badCases)
    func errorsNameTheFieldAndColumn(_ sample: BadCase) {
        let error = #expect(throws: CronError.self) { try CronSchedule(sample.text) }
        #expect(error?.field == sample.field)
        #expect(error?.column == sample.column)
        #expect(error?.message.contains(sample.fragment) == true, "\(error?.description ?? "")")
    }

    @Test func errorDescriptionReadsAsASentence() {
        let error = #expect(throws: CronError.self) { try CronSchedule("0 0 32 * *") }
        #expect(error?.description == "day of month field at column 5: 32 is out of range 1-31")
    }
}
