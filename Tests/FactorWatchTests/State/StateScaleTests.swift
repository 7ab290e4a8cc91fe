import Foundation
import Testing
@testable import FactorWatch

/// keep_firing_for's own column, the schema migration that adds it, and a state database that is only written
/// when an alert's state changes.
@Suite struct StateScaleTests {
    func stored(_ h: Harness) throws -> [AlertKey: AlertRecord] {
        try StateStore(path: h.configuration.statePath, readOnly: true).alerts()
    }

    @Test func keepFiringForHasItsOwnColumnAndResolvedAtMeansResolved() throws {
        var kept = rule("DiskAlmostFull", "disk_used_percent > 90", .critical)
        kept.keepFiringFor = 600
        let h = Harness(rules: [kept])
        #expect(try h.eval("2026-11-24T02:00", [disk(95)]).alerts.map(\.state) == [.firing])
        // The condition stops: still firing, and the database says since when, not that it resolved.
        #expect(try h.eval("2026-11-24T02:05", [disk(80)]).alerts.map(\.state) == [.firing])
        var record = try #require(try stored(h).values.first)
        #expect(record.phase == .firing && record.resolvedAt == nil)
        #expect(record.keepFiringSince == at("2026-11-24T02:05"))
        let listed = try factorwatchAlertsJSON(h)
        #expect(listed.contains("firing") && !listed.contains("2026-11-24T02:05"), "\(listed)")
        #expect(try h.eval("2026-11-24T02:14", [disk(80)]).alerts.map(\.state) == [.firing])
        #expect(try stored(h).values.first?.keepFiringSince == at("2026-11-24T02:05"))
        // Ten minutes after it stopped: resolved then, and the column is cleared.
        #expect(try h.eval("2026-11-24T02:15", [disk(80)]).alerts.map(\.state) == [.resolved])
        record = try #require(try stored(h).values.first)
        #expect(record.phase == .resolved && record.resolvedAt == at("2026-11-24T02:15") && record.keepFiringSince == nil)
        // Holding again while kept clears it too.
        #expect(try h.eval("2026-11-24T03:00", [disk(95)]).alerts.map(\.state) == [.firing])
        _ = try h.eval("2026-11-24T03:05", [disk(80)])
        _ = try h.eval("2026-11-24T03:10", [disk(96)])
        record = try #require(try stored(h).values.first)
        #expect(record.phase == .firing && record.keepFiringSince == nil && record.resolvedAt == nil)
    }

    private func factorwatchAlertsJSON(_ h: Harness) throws -> String {
        let store = try StateStore(path: h.configuration.statePath, readOnly: true)
        return try AlertsView(store: store, zone: shanghai, history: false).json()
    }

    @Test func anUnchangedFiringAlertIsNotRewritten() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        let database = try SQLiteDatabase(path: h.configuration.statePath, mode: .readOnly)
        func lastWritten() throws -> Double? { try database.query("SELECT last_evaluated_at FROM alerts").first?[0].double }
        let first = try lastWritten()
        _ = try h.eval("2026-11-24T02:05", [disk(95)])
        _ = try h.eval("2026-11-24T02:10", [disk(95)])
        #expect(try lastWritten() == first, "a firing alert whose state did not change was written again")
        _ = try h.eval("2026-11-24T02:15", [disk(97)])
        #expect(try lastWritten() == at("2026-11-24T02:15").timeIntervalSince1970)
    }

    @Test func aVersionOneDatabaseGainsTheColumnAndKeepsItsAlerts() throws {
        let dir = TemporaryDirectory("state-v1")
        let path = dir.file("state.db")
        let old = try SQLiteDatabase(path: path)
        try old.execute(StateStore.schemaV1)
        try old.execute("PRAGMA application_id = \(StateStore.applicationID); PRAGMA user_version = 1")
        try old.execute("""
            INSERT INTO alerts (rule, labels, labels_json, phase, severity, value, active_since, last_evaluated_at)
            VALUES ('DiskAlmostFull', 'path="/da\\\\ta, \\"x\\""', '{"path":"/da\\\\\\\\ta, \\\\"x\\\\""}', 'firing',
                    'critical', 95, 1000, 1000)
            """)
        let store = try StateStore(path: path)
        #expect(store.database.userVersion == 2)
        let alerts = try store.alerts()
        #expect(alerts.keys.map(\.labels["path"]) == ["/da\\ta, \"x\""])
        #expect(alerts.values.first?.keepFiringSince == nil)
        let indexes = try store.database.query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap { $0[0].string }
        #expect(indexes.contains("job_runs_finished") && indexes.contains("job_runs_success"))
    }

    @Test func labelKeysParseBackToTheirLabels() {
        let cases: [Labels] = [Labels(), ["a": "1"], ["b": "x,y=\"z\"", "a": "back\\slash\nnew"], ["dir": ""]]
        for labels in cases { #expect(StateStore.labels(fromKey: labels.key) == labels, "\(labels)") }
        #expect(StateStore.labels(fromKey: "a=1") == nil)
        #expect(StateStore.labels(fromKey: "b=\"1\",a=\"2\"") == nil)
    }
}

/// The text of an evaluation with thousands of alerts of one rule stays a page long.
@Suite struct ReportSummaryTests {
    @Test func aRuleWithManyAlertsIsSummarisedAfterItsFirstFew() throws {
        let h = Harness(rules: [rule("Seen", "disk_used_percent >= 0", .low),
                                rule("Full", "disk_used_percent{path=\"/p3\"} > 0", .critical)])
        let series = (0..<300).map { Observation("disk_used_percent", ["path": "/p\($0)"], Double($0)) }
        let text = try h.eval("2026-11-24T02:00", series).text()
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("FIRING low Seen") }.count == 10)
        #expect(lines.contains("… and 290 more Seen alerts (290 firing; 290 notified): factorwatch alerts or eval "
                               + "--format json lists each"), "\(lines.suffix(8))")
        #expect(lines.filter { $0.hasPrefix("FIRING critical Full") }.count == 1)
        #expect(lines[0].contains("301 firing"))
    }
}
