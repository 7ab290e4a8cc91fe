import Foundation
import Testing

@testable import FactorWatch

@Suite struct FactorFilesCollectorTests {
    /// A directory of empty factor files named as the pipeline names them.
    static func directory(_ names: [String]) throws -> CollectScratchDirectory {
        let scratch = try CollectScratchDirectory()
        _ = try scratch.directory("by_date")
        for name in names { try scratch.file("by_date/" + name) }
        return scratch
    }

    @Test func fridayFileOnMondayMorningMissesNoTradingDay() throws {
        let scratch = try Self.directory(["20261119.parquet", "20261120.parquet"])
        let dir = scratch.path + "/by_date"
        let observations = try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T08:30:00+08:00"))
        let labels: Labels = ["dir": dir, "__date": "20261120"]
        #expect(observations.observed("factor_file_age_trading_days", labels) == 0)
        #expect(observations.observed("factor_file_age_days", labels) == 3)
        #expect(observations.observed("factor_file_latest_date", ["dir": dir]) == 20_261_120)
        #expect(observations.observed("factor_files_count", ["dir": dir]) == 2)
        #expect(observations.observed("factor_files_future_count", ["dir": dir]) == 0)
    }

    @Test func wednesdayFileOnMondayMissesThursdayAndFriday() throws {
        let scratch = try Self.directory(["20261117.parquet", "20261118.parquet"])
        let dir = scratch.path + "/by_date"
        let observations = try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T08:30:00+08:00"))
        let labels: Labels = ["dir": dir, "__date": "20261118"]
        #expect(observations.observed("factor_file_age_trading_days", labels) == 2)
        #expect(observations.observed("factor_file_age_days", labels) == 5)
    }

    @Test func aHolidayWeekInTheCalendarDoesNotCount() throws {
        let scratch = try Self.directory(["20260929.parquet", "20260930.parquet"])
        let dir = scratch.path + "/by_date"
        let calendarPath = scratch.path + "/trade_cal.csv"
        try TradingCalendarCSVTests.tushare.write(toFile: calendarPath, atomically: true, encoding: .utf8)
        let calendar = try TradingCalendar.load(csvPath: calendarPath)
        let collector = FactorFilesCollector(dir: dir)
        let labels: Labels = ["dir": dir, "__date": "20260930"]

        let afterHoliday = try collector.collect(collectContext("2026-10-08T08:30:00+08:00", calendar: calendar))
        #expect(afterHoliday.observed("factor_file_age_trading_days", labels) == 0)
        #expect(afterHoliday.observed("factor_file_age_days", labels) == 8)

        // Without the calendar the five holiday weekdays would look like missing files.
        let weekdays = try collector.collect(collectContext("2026-10-08T08:30:00+08:00"))
        #expect(weekdays.observed("factor_file_age_trading_days", labels) == 5)

        let dayAfter = try collector.collect(collectContext("2026-10-09T08:30:00+08:00", calendar: calendar))
        #expect(dayAfter.observed("factor_file_age_trading_days", labels) == 1)
        #expect(dayAfter.observed("trading_calendar_days_left", ["calendar": calendarPath]) == 0)
        #expect(weekdays.observedSeries("trading_calendar_days_left").isEmpty)
    }

    @Test func todayIsTakenInTheConfiguredZone() throws {
        let scratch = try Self.directory(["20261120.parquet"])
        let dir = scratch.path + "/by_date"
        // 01:00 on Tuesday in Shanghai is still Monday in UTC.
        let observations = try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-24T01:00:00+08:00"))
        let labels: Labels = ["dir": dir, "__date": "20261120"]
        #expect(observations.observed("factor_file_age_days", labels) == 4)
        #expect(observations.observed("factor_file_age_trading_days", labels) == 1)
    }

    @Test func futureDatedFilesAreCountedApartAndIgnored() throws {
        let scratch = try Self.directory([
            "20261120.parquet", "20261123.parquet", "20261124.parquet", "20270101.parquet",
        ])
        let dir = scratch.path + "/by_date"
        let observations = try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T20:00:00+08:00"))
        let labels: Labels = ["dir": dir, "__date": "20261123"]
        #expect(observations.observed("factor_file_age_days", labels) == 0)
        #expect(observations.observed("factor_file_age_trading_days", labels) == 0)
        #expect(observations.observed("factor_files_count", ["dir": dir]) == 2)
        #expect(observations.observed("factor_files_future_count", ["dir": dir]) == 2)
    }

    @Test func namesThatDoNotCarryADateAreIgnored() throws {
        let scratch = try Self.directory([
            "20261118.parquet", "20261120.parquet.tmp", "20261119.csv", "2026112.parquet", "20261340.parquet",
            "20260230.parquet", "README.md", "x20261120.parquet",
        ])
        _ = try scratch.directory("by_date/20261120.parquet")
        let dir = scratch.path + "/by_date"
        let collector = FactorFilesCollector(dir: dir)
        #expect(try collector.datedFiles().map(\.path) == [dir + "/20261118.parquet"])
        let observations = try collector.collect(collectContext("2026-11-23T08:30:00+08:00"))
        #expect(observations.observed("factor_files_count", ["dir": dir]) == 1)
        #expect(observations.observed("factor_file_latest_date", ["dir": dir]) == 20_261_118)
    }

    @Test func anEmptyDirectoryCountsZeroAndHasNoAge() throws {
        let scratch = try Self.directory([])
        let dir = scratch.path + "/by_date"
        let observations = try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T08:30:00+08:00"))
        #expect(observations.observed("factor_files_count", ["dir": dir]) == 0)
        #expect(observations.observedSeries("factor_file_age_days").isEmpty)
        #expect(observations.observedSeries("factor_file_age_trading_days").isEmpty)
        #expect(observations.observedSeries("factor_file_latest_date").isEmpty)
    }

    @Test func aMissingDirectoryFailsWithPathAndReason() throws {
        let scratch = try CollectScratchDirectory()
        let dir = scratch.path + "/absent"
        #expect {
            try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T08:30:00+08:00"))
        } throws: { error in
            "\(error)" == "cannot list directory \(dir): No such file or directory"
        }
    }

    @Test func aFileInPlaceOfTheDirectoryFailsToo() throws {
        let scratch = try CollectScratchDirectory()
        let dir = try scratch.file("by_date")
        #expect {
            try FactorFilesCollector(dir: dir).collect(collectContext("2026-11-23T08:30:00+08:00"))
        } throws: { error in
            "\(error)".hasSuffix(": Not a directory")
        }
    }

    @Test func patternsWithSeparatorsAndWildcards() throws {
        let scratch = try Self.directory([
            "barra_cne5_2026-11-19_v2.parquet", "barra_cne5_2026-11-20_v3.parquet", "barra_cne5_20261121.parquet",
        ])
        let dir = scratch.path + "/by_date/"
        let collector = FactorFilesCollector(dir: dir, pattern: "barra_*_%Y-%m-%d_v?.parquet")
        let files = try collector.datedFiles()
        #expect(files.map(\.date) == [LocalDate("20261119")!, LocalDate("20261120")!])
        #expect(files.last?.path == scratch.path + "/by_date/barra_cne5_2026-11-20_v3.parquet")
        #expect(try collector.datedFiles(notAfter: LocalDate("20261119")!).count == 1)
    }

    @Test func datedFilesAreSortedOldestFirst() throws {
        let scratch = try Self.directory(["20261120.parquet", "20261102.parquet", "20261118.parquet"])
        let dir = scratch.path + "/by_date"
        let dates = try FactorFilesCollector(dir: dir).datedFiles().map { $0.date.yyyymmdd }
        #expect(dates == ["20261102", "20261118", "20261120"])
    }

    @Test func invalidPatternsSayWhatIsValid() throws {
        #expect(throws: FactorFilesCollector.Pattern.Invalid.self) { try FactorFilesCollector.Pattern("%Y%m.parquet") }
        #expect(throws: FactorFilesCollector.Pattern.Invalid.self) { try FactorFilesCollector.Pattern("%Y/%m%d") }
        #expect(throws: FactorFilesCollector.Pattern.Invalid.self) { try FactorFilesCollector.Pattern("%Y%m%d%d") }
        #expect {
            try FactorFilesCollector.Pattern("%Y%m%d%H.parquet")
        } throws: { error in
            "\(error)" == "pattern \"%Y%m%d%H.parquet\" at offset 6: unknown directive %H; valid are %Y, %m, %d, %% "
                + "(and * or ? as wildcards)"
        }
        #expect(try FactorFilesCollector.Pattern("100%%_%Y%m%d").date(in: "100%_20261120") == LocalDate("20261120"))
    }

    @Test func anInvalidPatternFailsTheCollector() throws {
        let scratch = try Self.directory(["20261120.parquet"])
        #expect(throws: CollectorFailure.self) {
            try FactorFilesCollector(dir: scratch.path + "/by_date", pattern: "%Y.parquet")
                .collect(collectContext("2026-11-23T08:30:00+08:00"))
        }
    }

    @Test func metricNamesCoverWhatItEmits() throws {
        let scratch = try Self.directory(["20261120.parquet"])
        let collector = FactorFilesCollector(dir: scratch.path + "/by_date")
        let calendar = try TradingCalendar.parse(csv: "cal_date,is_open\n20261231,1\n", path: "cal.csv")
        let context = collectContext("2026-11-23T08:30:00+08:00", calendar: calendar)
        let emitted = Set(try collector.collect(context).map(\.metric))
        #expect(emitted.isSubset(of: Set(collector.metricNames)))
        #expect(emitted.count == collector.metricNames.count)
    }
}
