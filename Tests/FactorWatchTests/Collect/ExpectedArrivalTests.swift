import Foundation
import Testing

@testable import FactorWatch

/// `expected_by`: the file of trading day D is due at that time on the first trading day after D.
@Suite struct ExpectedArrivalUnitTests {
    /// A directory holding only `latest`'s file, and the missing-days count at `time` (Asia/Shanghai).
    func missing(latest: String, at time: String, expectedBy: String? = "03:00",
                 calendar: TradingCalendar = .weekdays) throws -> Double? {
        let dir = try CollectScratchDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path + "/\(latest).parquet"))
        var collector = FactorFilesCollector(dir: dir.path)
        collector.expectedBy = expectedBy.flatMap(ExpectedArrival.init)
        return try collector.collect(collectContext(time, calendar: calendar))
            .first { $0.metric == "factor_file_age_trading_days" }?.value
    }

    @Test(arguments: [
        ("20261123", "2026-11-24T00:05", 0.0), ("20261120", "2026-11-24T02:59", 0), ("20261120", "2026-11-24T03:00", 1),
        ("20261120", "2026-11-25T02:00", 1), ("20261120", "2026-11-25T03:00", 2),
        // Friday's file is due Monday 03:00, not over the weekend.
        ("20261119", "2026-11-21T10:00", 0), ("20261119", "2026-11-23T02:59", 0), ("20261119", "2026-11-23T03:00", 1),
    ])
    func dueOnTheNextTradingDayAtTheExpectedTime(latest: String, time: String, count: Double) throws {
        #expect(try missing(latest: latest, at: time) == count)
    }

    @Test func withoutExpectedByEveryTradingDayBeforeTodayCounts() throws {
        #expect(try missing(latest: "20261120", at: "2026-11-24T00:05", expectedBy: nil) == 1)
        #expect(try missing(latest: "20261119", at: "2026-11-21T10:00", expectedBy: nil) == 1)
    }

    @Test func aHolidayIsNotATradingDayToArriveOn() throws {
        let csv = "cal_date,is_open\n" + (1...12).map { day in
            let date = LocalDate(year: 2026, month: 10, day: day)
            return "\(date.yyyymmdd),\(date.isWeekend || day <= 7 ? 0 : 1)"
        }.joined(separator: "\n")
        let calendar = try TradingCalendar.parse(csv: csv, path: "cal.csv")
        // The 30 September file is due Thursday 8 October at 03:00, the first trading day after it.
        #expect(try missing(latest: "20260930", at: "2026-10-05T12:00", calendar: calendar) == 0)
        #expect(try missing(latest: "20260930", at: "2026-10-08T02:59", calendar: calendar) == 0)
        #expect(try missing(latest: "20260929", at: "2026-10-08T03:00", calendar: calendar) == 1)
    }

    @Test(arguments: ["03:00", "00:00", "23:59", "7:00", "24:00", "03:60", "0300", "03:00:00", "ab:cd"])
    func theTimeIsHHMM(text: String) {
        let valid = ["03:00", "00:00", "23:59"].contains(text)
        #expect((ExpectedArrival(text) != nil) == valid, "\(text)")
        if valid { #expect(ExpectedArrival(text)?.description == text) }
    }
}

/// One duration format: what factorwatch prints reads back.
@Suite struct DurationFormatTests {
    @Test(arguments: [("30s", 30.0), ("15m", 900), ("1h30m", 5_400), ("1d 2h 3m 4s", 93_784), ("500ms", 0.5),
                      ("1w", 604_800), ("2y", 63_072_000), ("90", 90), ("1.5h", 5_400)])
    func parses(text: String, seconds: Double) {
        #expect(parseDuration(text) == seconds, "\(text)")
    }

    @Test(arguments: ["", "m", "5x", "1h 30", "-5m", " 1 h", "1 h"])
    func rejects(text: String) {
        #expect(parseDuration(text) == nil, "\(text)")
    }

    @Test(arguments: [0.0, 59, 61, 3_600, 5_400, 93_784, 200_000])
    func printedDurationsReadBack(seconds: Double) {
        #expect(parseDuration(formatDuration(seconds: seconds)) == seconds)
        #expect(parseDuration(TemplateFunction.humanizeDuration(seconds)) == seconds)
    }
}
