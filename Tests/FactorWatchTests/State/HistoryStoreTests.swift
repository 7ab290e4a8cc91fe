import Foundation
import Testing
@testable import FactorWatch

@Suite struct HistoryStoreTests {
    let day = LocalDate(year: 2026, month: 11, day: 20)

    func figures(std: Double) -> [Observation] {
        [Observation("factor_std", Labels(["factor": "size", "__date": "20261120"]), std),
         Observation("factor_rows", Labels(["__date": "20261120"]), 4_100),
         Observation("factor_missing_fraction", Labels(["column": "beta", "__date": "20261120"]), .nan)]
    }

    @Test func aDayIsWrittenOnceAndReadBackWithoutItsAnnotations() throws {
        let store = try StateStore(path: ":memory:")
        let history = try HistoryStore(store: store)
        #expect(try history.record(HistoryDay(date: day, observations: figures(std: 1.5)), source: "eval", at: Date()))
        #expect(!(try history.record(HistoryDay(date: day, observations: figures(std: 1.5)), source: "eval",
                                     at: Date())))
        let points = try history.points()
        #expect(points.count == 3)
        let std = try #require(points.first { $0.metric == "factor_std" })
        #expect(std.labels == ["factor": "size"] && std.value == 1.5 && std.date == day)
        #expect(points.first { $0.metric == "factor_missing_fraction" }?.value.isNaN == true)
        let count = try store.database.query("SELECT count(*) FROM history_days").first?.first?.int64
        #expect(count == 1)
    }

    @Test func aRepublishedFileReplacesItsDay() throws {
        let history = try HistoryStore(store: try StateStore(path: ":memory:"))
        try history.record(HistoryDay(date: day, observations: figures(std: 1.5)), source: "eval", at: Date())
        #expect(try history.record(HistoryDay(date: day, observations: figures(std: 2.5)), source: "eval", at: Date()))
        let values = try history.points(metrics: ["factor_std"]).map(\.value)
        #expect(values == [2.5])
    }

    @Test func retentionKeepsTheLastTradingDays() throws {
        let store = try StateStore(path: ":memory:")
        let history = try HistoryStore(store: store)
        let recorder = HistoryRecorder(dayMetrics: ["factor_rows"], retention: 5, calendar: .weekdays)
        var date = LocalDate(year: 2026, month: 11, day: 2)
        for _ in 0..<10 {
            if !date.isWeekend {
                try recorder.record(observations: [Observation("factor_rows", Labels(["__date": date.yyyymmdd]), 1)],
                                    notifications: [], store: history, source: "eval", at: Date())
            }
            date = date.adding(days: 1)
        }
        // Weekdays 2–11 November 2026 are eight trading days; five are kept, from Thursday the 5th.
        #expect(try history.dates().map(\.yyyymmdd) == ["20261105", "20261106", "20261109", "20261110", "20261111"])
    }

    @Test func notificationsAreTheAuditLogAndDryRunsAreNotInIt() throws {
        let history = try HistoryStore(store: try StateStore(path: ":memory:"))
        let sent = NotificationReport(channel: "email", subject: "[HIGH] 1 firing", body: "", alerts: ["JobFailed"],
                                      status: .sent, error: nil, retry: false)
        var dry = sent
        dry.status = .wouldSend
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        try history.recordNotifications([sent, dry], at: at)
        let log = try history.notifications(to: at)
        #expect(log == [AuditEntry(at: at, channel: "email", subject: "[HIGH] 1 firing", status: "sent",
                                   alerts: ["JobFailed"], error: nil)])
    }

    @Test func version1HistoryGainsAnnotationsAndKeepsItsDays() throws {
        let dir = TemporaryDirectory("history-v1")
        let store = try StateStore(path: dir.file("state.db"))
        try store.database.execute(HistoryStore.schema)
        try store.database.execute("""
            INSERT INTO history_meta VALUES ('version', 1);
            INSERT INTO history_days VALUES (20261119, 'x', 0, 'eval');
            INSERT INTO history_series VALUES (1, 'factor_rows', '{}');
            INSERT INTO history_points VALUES (1, 20261119, 4000);
            """)
        let history = try HistoryStore(store: store)
        #expect(try history.points().map(\.value) == [4000])
        let worst = Observation("factor_outlier_fraction", Labels(["factor": "size", "__date": "20261120",
                                                                   "__worst": "000001.SZ"]), 0.01)
        try history.record(HistoryDay(date: day, observations: [worst]), source: "eval", at: Date())
        let stored = try #require(try history.points(metrics: ["factor_outlier_fraction"]).first)
        #expect(stored.labels == ["factor": "size"] && stored.annotations == ["__worst": "000001.SZ"])
        let version = try store.database.query("SELECT value FROM history_meta WHERE key = 'version'")
        #expect(version.first?.first?.int64 == 2)
    }

    @Test func aNewerHistorySchemaIsRefused() throws {
        let store = try StateStore(path: ":memory:")
        _ = try HistoryStore(store: store)
        try store.database.execute("UPDATE history_meta SET value = 99 WHERE key = 'version'")
        #expect(throws: StateStoreError.self) { try HistoryStore(store: store) }
    }
}
