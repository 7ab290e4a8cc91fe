import Foundation
import Testing

@testable import FactorWatch

@Suite struct TradingCalendarCSVTests {
    /// National Day 2026: Thursday 1 to Wednesday 7 October closed; SZSE listed too, with one made-up difference.
    static let tushare = """
        exchange,cal_date,is_open,pretrade_date
        SSE,20260928,1,20260925
        SSE,20260929,1,20260928
        SSE,20260930,1,20260929
        SSE,20261001,0,20260930
        SSE,20261002,0,20260930
        SSE,20261003,0,20260930
        SSE,20261004,0,20260930
        SSE,20261005,0,20260930
        SSE,20261006,0,20260930
        SSE,20261007,0,20260930
        SSE,20261008,1,20260930
        SSE,20261009,1,20261008
        SZSE,20260930,1,20260929
        SZSE,20261008,0,20260930

        """

    static func day(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func loadsTheSSERowsOfATushareFileByDefault() throws {
        let scratch = try CollectScratchDirectory()
        let path = scratch.path + "/trade_cal.csv"
        try Self.tushare.write(toFile: path, atomically: true, encoding: .utf8)
        let calendar = try TradingCalendar.load(csvPath: path)
        #expect(calendar.isOpen(Self.day("20260930")))
        #expect(!calendar.isOpen(Self.day("20261005")))
        #expect(calendar.isOpen(Self.day("20261008")))
        #expect(calendar.lastCoveredDay == Self.day("20261009"))
        #expect(calendar.tradingDays(after: Self.day("20260930"), before: Self.day("20261008")) == 0)
        // Outside the table the calendar falls back to weekdays.
        #expect(calendar.isOpen(Self.day("20261012")))
        #expect(!calendar.isOpen(Self.day("20261017")))
        guard case .table(_, let covered, let source) = calendar.source else {
            Issue.record("expected a table calendar")
            return
        }
        #expect(covered == Self.day("20260928")...Self.day("20261009"))
        #expect(source == path)
    }

    @Test func picksTheRequestedExchange() throws {
        let calendar = try TradingCalendar.parse(csv: Self.tushare, path: "cal.csv", exchange: "szse")
        #expect(!calendar.isOpen(Self.day("20261008")))
        #expect(calendar.lastCoveredDay == Self.day("20261008"))
    }

    @Test func anUnknownExchangeNamesTheOnesPresent() {
        #expect {
            try TradingCalendar.parse(csv: Self.tushare, path: "cal.csv", exchange: "BSE")
        } throws: { error in
            "\(error)" == "cal.csv: no rows for exchange \"BSE\"; the file has SSE, SZSE"
        }
    }

    @Test func theOnlyExchangePresentIsTakenWithoutBeingNamed() throws {
        let csv = "exchange,cal_date,is_open\nSZSE,20261001,0\nSZSE,20261002,1\n"
        let calendar = try TradingCalendar.parse(csv: csv, path: "cal.csv")
        #expect(calendar.isOpen(Self.day("20261002")))
        #expect(!calendar.isOpen(Self.day("20261001")))
    }

    @Test func aFileWithoutAnExchangeColumnServesAnyExchange() throws {
        let calendar = try TradingCalendar.parse(csv: "cal_date,is_open\n20261001,0\n", path: "c.csv", exchange: "SSE")
        #expect(!calendar.isOpen(Self.day("20261001")))
    }

    @Test func acceptsReorderedQuotedDashedCRLFWithBOMAndAnIndexColumn() throws {
        let csv =
            "\u{FEFF},is_open,pretrade_date,cal_date,exchange\r\n"
            + "0,\"0\",\"2026-09-30\",\"2026-10-01\",\"SSE\"\r\n"
            + "1,\"1\",\"2026-09-30\",\"2026-10-08\",\"SSE\"\r\n"
        let calendar = try TradingCalendar.parse(csv: csv, path: "cal.csv")
        #expect(!calendar.isOpen(Self.day("20261001")))
        #expect(calendar.isOpen(Self.day("20261008")))
        #expect(calendar.lastCoveredDay == Self.day("20261008"))
    }

    @Test func aBadIsOpenValueNamesLineColumnAndValue() {
        let csv = "exchange,cal_date,is_open\nSSE,20261001,0\nSSE,20261002,yes\n"
        #expect {
            try TradingCalendar.parse(csv: csv, path: "cal.csv")
        } throws: { error in
            let error = error as? TradingCalendarError
            return error?.line == 3 && error?.column == 14
                && error?.description == "cal.csv:3:14: is_open must be 0 or 1, not \"yes\""
        }
    }

    @Test func aBadDateNamesItsLine() {
        let csv = "exchange,cal_date,is_open\nSSE,20261001,0\n\nSSE,20261302,1\n"
        #expect {
            try TradingCalendar.parse(csv: csv, path: "cal.csv")
        } throws: { error in
            "\(error)" == "cal.csv:4:5: cal_date must be a date as YYYYMMDD or YYYY-MM-DD, not \"20261302\""
        }
    }

    @Test func aShortRowIsAnError() {
        let csv = "exchange,cal_date,is_open\nSSE,20261001\n"
        #expect {
            try TradingCalendar.parse(csv: csv, path: "cal.csv")
        } throws: { error in
            "\(error)" == "cal.csv:2: expected 3 fields as in the header, found 2"
        }
    }

    @Test func aHeaderWithoutTheNeededColumnsIsAnError() {
        #expect {
            try TradingCalendar.parse(csv: "20261001,1\n20261002,1\n", path: "cal.csv")
        } throws: { error in
            let error = error as? TradingCalendarError
            return error?.line == 1 && error?.message.contains("must name cal_date and is_open") == true
        }
    }

    @Test func contradictoryDuplicatesAreAnError() {
        let csv = "cal_date,is_open\n20261001,0\n20261001,1\n"
        #expect {
            try TradingCalendar.parse(csv: csv, path: "cal.csv")
        } throws: { error in
            "\(error)" == "cal.csv:3: cal_date 20261001 is already listed on line 2 with a different is_open"
        }
    }

    @Test func anEmptyFileOrOneWithoutRowsIsAnError() {
        #expect(throws: TradingCalendarError.self) { try TradingCalendar.parse(csv: "", path: "cal.csv") }
        #expect {
            try TradingCalendar.parse(csv: "exchange,cal_date,is_open\n", path: "cal.csv")
        } throws: { error in
            "\(error)" == "cal.csv: the trading calendar has a header but no rows"
        }
    }

    @Test func aMissingFileSaysWhy() throws {
        let scratch = try CollectScratchDirectory()
        let path = scratch.path + "/absent.csv"
        #expect {
            try TradingCalendar.load(csvPath: path)
        } throws: { error in
            "\(error)" == "\(path): cannot read trading calendar: No such file or directory"
        }
    }

    @Test func readsWhatPandasWritesWithIndexAndQuoting() throws {
        let scratch = try CollectScratchDirectory()
        // A calendar as a Tushare download saved with pandas looks: an index column, dates as numbers, and with
        // QUOTE_NONNUMERIC every text field quoted.
        let script = """
            import csv, sys, pandas as pd
            days = pd.date_range("2026-09-28", "2026-10-09")
            frame = pd.DataFrame({
                "exchange": ["SSE"] * len(days),
                "cal_date": [int(d.strftime("%Y%m%d")) for d in days],
                "is_open": [0 if d.weekday() >= 5 or (d.month == 10 and d.day <= 7) else 1 for d in days],
            })
            frame.to_csv(sys.argv[1] + "/plain.csv")
            frame.assign(cal_date=frame.cal_date.astype(str)).to_csv(
                sys.argv[1] + "/quoted.csv", index=False, quoting=csv.QUOTE_NONNUMERIC)
            """
        let process = try Process.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            arguments: [
                "python3", "-c", script,
                scratch.path,
            ])
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        for name in ["plain.csv", "quoted.csv"] {
            let calendar = try TradingCalendar.load(csvPath: scratch.path + "/" + name)
            #expect(calendar.tradingDays(after: Self.day("20260930"), before: Self.day("20261009")) == 1, "\(name)")
            #expect(calendar.lastCoveredDay == Self.day("20261009"), "\(name)")
        }
    }
}
