import Foundation
import Testing
@testable import FactorWatch

/// The range functions against pandas/scipy (scripts/range_reference.py) on generated series over a Tushare-style
/// calendar with the National Day week (2025-10-01…08) and the Spring Festival (2026-02-16…23) closed.
@Suite struct RangeFunctionReferenceTests {
    static let holidays: Set<String> = ["20251001", "20251002", "20251003", "20251006", "20251007", "20251008",
                                        "20260216", "20260217", "20260218", "20260219", "20260220", "20260223"]
    static let first = LocalDate(year: 2025, month: 8, day: 1), last = LocalDate(year: 2026, month: 3, day: 31)

    /// Tushare `trade_cal` rows: weekdays open except the holidays.
    static func calendarCSV() -> String {
        var lines = ["exchange,cal_date,is_open,pretrade_date"]
        var day = first, previousOpen = ""
        while day <= last {
            let open = !day.isWeekend && !holidays.contains(day.yyyymmdd)
            lines.append("SSE,\(day.yyyymmdd),\(open ? 1 : 0),\(previousOpen)")
            if open { previousOpen = day.yyyymmdd }
            day = day.adding(days: 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Deterministic pseudo-random numbers in [0, 1).
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// Factor a every trading day; b misses about one day in eight and is NaN about one in twenty.
    static func points(calendar: TradingCalendar) -> [HistoryPoint] {
        var generator = Generator(state: 42)
        var result: [HistoryPoint] = []
        var day = first
        while day <= last {
            defer { day = day.adding(days: 1) }
            guard calendar.isOpen(day) else { continue }
            result.append(HistoryPoint(metric: "factor_std", labels: ["factor": "a"], date: day,
                                       value: 1 + generator.next()))
            let roll = generator.next()
            if roll < 0.125 { continue }
            result.append(HistoryPoint(metric: "factor_std", labels: ["factor": "b"], date: day,
                                       value: roll > 0.95 ? .nan : 0.5 + 3 * generator.next()))
        }
        return result
    }

    static func runs() -> [RunPoint] {
        var generator = Generator(state: 7)
        return (0..<80).flatMap { index in
            ["download", "update"].map { job in
                RunPoint(job: job, finishedAt: Date(timeIntervalSince1970: 1_760_000_000 + Double(index) * 86_400),
                         duration: 100 + 50 * generator.next(), exitCode: 0)
            }
        }
    }

    struct Query {
        var function: String, range: Int, unit: String, offset = 0, q: Double? = nil, today: String

        var expression: String {
            let metric = unit == "r" ? "job_last_duration_seconds" : "factor_std"
            let offsetText = offset > 0 ? " offset \(offset)\(unit)" : ""
            let selector = "\(metric)[\(range)\(unit)]\(offsetText)"
            return q.map { "\(function)(\($0), \(selector))" } ?? "\(function)(\(selector))"
        }
    }

    static let functions = ["avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "count_over_time",
                            "last_over_time", "stddev_over_time", "mad_over_time", "delta", "zscore"]
    /// Anchors right after each holiday, inside them, and ordinary days.
    static let anchors = ["20251009", "20251010", "20251005", "20251120", "20260224", "20260225", "20260219",
                          "20260331", "20250905"]

    static func queries() -> [Query] {
        var result: [Query] = []
        for today in anchors {
            for function in functions {
                for (range, unit) in [(5, "td"), (20, "td"), (60, "td"), (7, "d"), (30, "d")] {
                    result.append(Query(function: function, range: range, unit: unit, today: today))
                    result.append(Query(function: function, range: range, unit: unit, offset: 1, today: today))
                }
            }
            for q in [0.0, 0.25, 0.5, 0.95, 1.0] {
                result.append(Query(function: "quantile_over_time", range: 20, unit: "td", offset: 2, q: q,
                                    today: today))
            }
        }
        for function in functions + ["quantile_over_time"] {
            for (range, offset) in [(30, 0), (30, 1), (5, 3)] {
                result.append(Query(function: function, range: range, unit: "r", offset: offset,
                                    q: function == "quantile_over_time" ? 0.95 : nil, today: "20251231"))
            }
        }
        return result
    }

    /// The evaluation time: job runs finished after it (39 of each job's 80) are not seen yet.
    static func time(_ query: Query) -> Double {
        1_760_000_000 + 40.5 * 86_400
    }

    @Test func everyRangeFunctionAgreesWithPandas() throws {
        let dir = TemporaryDirectory("range-reference")
        let calendarPath = dir.write("calendar.csv", Self.calendarCSV())
        let calendar = try TradingCalendar.load(csvPath: calendarPath)
        let points = Self.points(calendar: calendar), runs = Self.runs()
        dir.write("days.csv", "metric,factor,date,value\n" + points.map {
            "\($0.metric),\($0.labels["factor"]!),\($0.date.yyyymmdd),\($0.value.isNaN ? "" : "\($0.value)")"
        }.joined(separator: "\n") + "\n")
        dir.write("runs.csv", "job,finished_at,duration\n" + runs.map {
            "\($0.job),\($0.finishedAt.timeIntervalSince1970),\($0.duration)"
        }.joined(separator: "\n") + "\n")
        let queries = Self.queries()
        dir.write("queries.csv", "id,function,metric,range,unit,offset,offset_unit,q,today,time\n"
                  + queries.enumerated().map { id, query in
            let metric = query.unit == "r" ? "job_last_duration_seconds" : "factor_std"
            return "\(id),\(query.function),\(metric),\(query.range),\(query.unit),\(query.offset),\(query.unit),"
                + "\(query.q.map { "\($0)" } ?? ""),\(query.today),\(Self.time(query))"
        }.joined(separator: "\n") + "\n")
        let expected = try pandasAnswers(dir.path)
        var compared = 0
        for (id, query) in queries.enumerated() {
            let today = LocalDate(query.today)!
            let frame = HistoryFrame(calendar: calendar, today: today, points: points, runs: runs)
            let samples = try RuleExpression(query.expression).evaluate([], at: Self.time(query), history: frame)
            var got: [String: Double] = [:]
            for sample in samples { got[sample.labels["factor"] ?? sample.labels["job"] ?? "?"] = sample.value }
            let want = expected[String(id)] ?? [:]
            #expect(Set(got.keys) == Set(want.keys), "\(query.expression) at \(query.today): series differ")
            for (key, value) in want {
                guard let mine = got[key] else { continue }
                let tolerance = 1e-9 * max(1, Swift.abs(value))
                let same = value.isFinite ? Swift.abs(mine - value) <= tolerance : mine.isNaN && value.isNaN || mine == value
                #expect(same,
                        "\(query.expression) at \(query.today) {\(key)}: factorwatch \(mine), pandas \(value)")
                compared += 1
            }
        }
        #expect(compared > 1_000)
    }

    /// A holiday week is not a gap: five trading days back from the first day after National Day reach
    /// September, and every one of them has its file.
    @Test func holidaysAreNeverMissingDays() throws {
        let dir = TemporaryDirectory("range-holidays")
        let calendar = try TradingCalendar.load(csvPath: dir.write("calendar.csv", Self.calendarCSV()))
        let points = Self.points(calendar: calendar).filter { $0.labels["factor"] == "a" }
        for today in ["20251009", "20260224"] {
            let frame = HistoryFrame(calendar: calendar, today: LocalDate(today)!, points: points)
            let count = try RuleExpression("count_over_time(factor_std[5td])").evaluate([], at: 0, history: frame)
            #expect(count.map(\.value) == [5], "\(today): a holiday week counted as missing days")
            let weekdays = HistoryFrame(calendar: .weekdays, today: LocalDate(today)!, points: points)
            let naive = try RuleExpression("count_over_time(factor_std[5td])").evaluate([], at: 0, history: weekdays)
            #expect(naive.map(\.value) != [5], "\(today): the weekday calendar should see the holiday as gaps")
        }
    }

    private func pandasAnswers(_ folder: String) throws -> [String: [String: Double]] {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/range_reference.py", folder]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "scripts/range_reference.py failed (pandas and scipy come from scripts/install-deps.sh): \(message)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        let special: [String: Double] = ["NaN": .nan, "+Inf": .infinity, "-Inf": -.infinity]
        return json.mapValues { $0.compactMapValues { ($0 as? NSNumber)?.doubleValue ?? special[$0 as? String ?? ""] } }
    }
}
