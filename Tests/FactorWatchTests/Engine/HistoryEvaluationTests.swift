import Foundation
import Testing
@testable import FactorWatch

/// Factor files written by scripts/history_fixtures.py (pyarrow), and configurations over them.
struct HistoryFixture {
    let dir = TemporaryDirectory("history")
    let dates: [LocalDate]

    init(count: Int, rows: Int = 200) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/history_fixtures.py", dir.path, "\(count)", "\(rows)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "history_fixtures.py (pandas, pyarrow) failed: \(message)")
        dates = try FileManager.default.contentsOfDirectory(atPath: dir.file("by_date")).compactMap {
            LocalDate(String($0.prefix(8)))
        }.sorted()
    }

    /// A configuration reading the files, with its own state database `name`.
    func configuration(_ name: String, rules: String = "rules.yaml") throws -> Configuration {
        dir.write(rules, """
            rules:
              - alert: FewStocks
                expr: factor_rows < 100
                severity: low
            """)
        dir.write("channels/log.yaml", "type: log\npath: \(dir.file(name + ".log"))\n")
        let file = dir.write(name + ".yaml", """
            timezone: Asia/Shanghai
            state: \(dir.file(name + ".db"))
            calendar: \(dir.file("calendar/trade_cal.csv"))
            host: test-host
            rules: [\(dir.file(rules))]
            collectors:
              factor_files: { dir: \(dir.file("by_date")) }
            routes:
              low: { channels: [log], repeat: 24h }
            """)
        return try ConfigLoader.load(path: file, environment: [:]).configuration
    }

    /// 23:00 in Shanghai on `date`: that day's file is the latest.
    func evening(_ date: LocalDate) -> Date { shanghai.date(from: LocalDateTime(date: date, hour: 23)) }
}

@Suite(.serialized) struct HistoryEvaluationTests {
    @Test func aDayOf288EvaluationsWritesEachFileOnce() throws {
        let fixture = try HistoryFixture(count: 3)
        let configuration = try fixture.configuration("ticks")
        let evaluator = Evaluator(configuration: configuration)
        // The day's file arrives at 08:20 (tick 100); until then the evaluations see the day before's.
        let file = fixture.dir.file("by_date/\(fixture.dates[2].yyyymmdd).parquet")
        try FileManager.default.moveItem(atPath: file, toPath: file + ".later")
        let midnight = shanghai.date(from: LocalDateTime(date: fixture.dates[2]))
        for tick in 0..<288 {
            if tick == 100 { try FileManager.default.moveItem(atPath: file + ".later", toPath: file) }
            _ = try evaluator.run(now: midnight.addingTimeInterval(Double(tick) * 300))
        }
        let store = try StateStore(path: configuration.statePath)
        let days = try store.database.query("SELECT date, recorded_at FROM history_days ORDER BY date")
        #expect(days.map { $0[0].int64 } == fixture.dates[1...2].map { Int64($0.yyyymmdd) })
        #expect(days.map { $0[1].double } == [midnight.timeIntervalSince1970,
                                              midnight.timeIntervalSince1970 + 100 * 300])
        let points = try HistoryStore(store: store).points()
        #expect(points.count > 100 && Set(points.map(\.date)) == Set(fixture.dates[1...2]))
    }

    @Test func backfillOf250FilesEqualsWhatEvaluationsWouldHaveWritten() throws {
        let fixture = try HistoryFixture(count: 250)
        #expect(fixture.dates.count == 250)
        let evaluated = try fixture.configuration("evals")
        let evaluator = Evaluator(configuration: evaluated)
        for date in fixture.dates { _ = try evaluator.run(now: fixture.evening(date)) }

        let backfilled = try fixture.configuration("backfill")
        let store = try StateStore(path: backfilled.statePath)
        var reported: [Int] = []
        let summary = try HistoryBackfill(configuration: backfilled).run(
            since: nil, now: fixture.evening(fixture.dates.last!), store: try HistoryStore(store: store)) { done, _, _ in
            reported.append(done)
        }
        #expect(summary.written == 250 && summary.failed.isEmpty)
        #expect(reported == Array(1...250))

        let expected = try HistoryStore(store: try StateStore(path: evaluated.statePath)).points()
        let actual = try HistoryStore(store: store).points()
        #expect(expected.count > 250 * 50)
        #expect(actual.count == expected.count)
        let differing = zip(actual, expected).filter { a, b in
            a.metric != b.metric || a.labels != b.labels || a.date != b.date
                || !(a.value == b.value || (a.value.isNaN && b.value.isNaN))
        }
        #expect(differing.isEmpty, "first difference: \(String(describing: differing.first))")

        let again = try HistoryBackfill(configuration: backfilled).run(
            since: fixture.dates[200], now: fixture.evening(fixture.dates.last!), store: try HistoryStore(store: store))
        #expect(again.written == 0 && again.unchanged == 50)
    }
}
