import Foundation
import Testing
@testable import FactorWatch

/// A channel that records what it was asked to deliver, and can be told to fail.
final class RecordingChannel: Channel, @unchecked Sendable {
    let name: String
    private let lock = FactorWatch.Mutex()
    private var _delivered: [Digest] = []
    private var _failing = false

    init(_ name: String) { self.name = name }

    var delivered: [Digest] { lock.withLock { _delivered } }
    var failing: Bool {
        get { lock.withLock { _failing } }
        set { lock.withLock { _failing = newValue } }
    }

    func render(_ digest: Digest) -> RenderedMessage {
        RenderedMessage(subject: DigestFormatter.subject(digest), body: DigestFormatter.body(digest, zone: shanghai))
    }

    func deliver(_ digest: Digest) -> Delivery {
        lock.withLock {
            if _failing { return .failed("connection refused", retryable: true) }
            _delivered.append(digest)
            return .sent
        }
    }
}

/// A collector returning whatever the test sets.
final class FixedCollector: Collector, @unchecked Sendable {
    let name = "fixed"
    private let lock = FactorWatch.Mutex()
    private var _observations: [Observation] = []
    var metricNames: [String] { lock.withLock { _observations.map(\.metric) } }

    func set(_ observations: [Observation]) { lock.withLock { _observations = observations } }

    func collect(_ context: CollectionContext) throws -> [Observation] { lock.withLock { _observations } }
}

struct Harness {
    let dir = TemporaryDirectory()
    let collector = FixedCollector()
    let email = RecordingChannel("email")
    let log = RecordingChannel("log")
    var configuration: Configuration

    init(rules: [Rule], routes: [Severity: Route]? = nil) {
        configuration = Configuration(
            file: dir.file("factorwatch.yaml"), zone: shanghai, statePath: dir.file("state.db"), host: "test-host",
            collectors: [collector], rules: rules,
            routes: routes ?? [.critical: Route(channels: ["email", "log"], repeatInterval: 7_200),
                               .high: Route(channels: ["email"], repeatInterval: 43_200),
                               .medium: Route(channels: ["email"], repeatInterval: 86_400),
                               .low: Route(channels: ["log"], repeatInterval: 86_400)],
            channels: [:])
        configuration.channels = ["email": email, "log": log]
    }

    func eval(_ time: String, dryRun: Bool = false, _ observations: [Observation]) throws -> EvaluationReport {
        collector.set(observations)
        return try Evaluator(configuration: configuration).run(now: at(time), dryRun: dryRun)
    }
}

func rule(_ name: String, _ expr: String, _ severity: Severity, for duration: Double = 0, clear: String? = nil,
          summary: String? = nil, repeat interval: Double? = nil, channels: [String]? = nil) -> Rule {
    Rule(name: name, expression: try! RuleExpression(expr), clear: clear.map { try! RuleExpression($0) },
         severity: severity, forDuration: duration, summary: summary.map { try! Template($0) },
         channels: channels, repeatInterval: interval)
}

func disk(_ value: Double) -> Observation { Observation("disk_used_percent", ["path": "/data"], value) }

@Suite struct EvaluatorTests {
    @Test func firesOnceThenDeduplicatesUntilRepeat() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical,
                                     summary: "Disk {{ $labels.path }} at {{ $value }}%")])
        let first = try h.eval("2026-11-24T02:45", [disk(95)])
        #expect(first.alerts.map(\.state) == [.firing])
        #expect(first.alerts[0].notify)
        #expect(first.alerts[0].summary == "Disk /data at 95%")
        #expect(h.email.delivered.count == 1 && h.log.delivered.count == 1)

        let second = try h.eval("2026-11-24T02:50", [disk(96)])
        #expect(second.alerts[0].notify == false)
        #expect(second.alerts[0].suppressedBy == "dedup")
        #expect(h.email.delivered.count == 1)

        let third = try h.eval("2026-11-24T04:46", [disk(96)])
        #expect(third.alerts[0].notify)
        #expect(h.email.delivered.count == 2)
        #expect(h.email.delivered[1].alerts[0].reason == .repeated)
    }

    @Test func pendingUntilForElapsesThenFires() throws {
        let h = Harness(rules: [rule("Slow", "disk_used_percent > 90", .high, for: 600)])
        #expect(try h.eval("2026-11-24T02:00", [disk(95)]).alerts.map(\.state) == [.pending])
        #expect(try h.eval("2026-11-24T02:05", [disk(95)]).alerts.map(\.state) == [.pending])
        #expect(h.email.delivered.isEmpty)
        let fired = try h.eval("2026-11-24T02:10", [disk(95)])
        #expect(fired.alerts.map(\.state) == [.firing])
        #expect(h.email.delivered.count == 1)
    }

    @Test func pendingThatStopsNeverNotifies() throws {
        let h = Harness(rules: [rule("Slow", "disk_used_percent > 90", .high, for: 600)])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        let after = try h.eval("2026-11-24T02:05", [disk(50)])
        #expect(after.alerts.isEmpty)
        _ = try h.eval("2026-11-24T02:20", [disk(95)])
        #expect(h.email.delivered.isEmpty)
    }

    @Test func resolutionIsNotifiedAtOnce() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        _ = try h.eval("2026-11-24T02:45", [disk(95)])
        let resolved = try h.eval("2026-11-24T02:50", [disk(50)])
        #expect(resolved.alerts.map(\.state) == [.resolved])
        #expect(h.email.delivered.count == 2)
        #expect(h.email.delivered[1].alerts[0].reason == .resolved)
        #expect(DigestFormatter.subject(h.email.delivered[1]) == "[RESOLVED] 1 resolved — test-host")
        // Quiet afterwards, and a new firing is a new first notice.
        _ = try h.eval("2026-11-24T02:55", [disk(50)])
        #expect(h.email.delivered.count == 2)
        _ = try h.eval("2026-11-24T03:00", [disk(97)])
        #expect(h.email.delivered.count == 3)
        #expect(h.email.delivered[2].alerts[0].reason == .firing)
    }

    @Test func clearHysteresisKeepsFiringUntilClearHolds() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical,
                                     clear: "disk_used_percent < 85")])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        let between = try h.eval("2026-11-24T02:05", [disk(88)])
        #expect(between.alerts.map(\.state) == [.firing])
        #expect(between.alerts[0].notify == false)
        let cleared = try h.eval("2026-11-24T02:10", [disk(80)])
        #expect(cleared.alerts.map(\.state) == [.resolved])
    }

    @Test func severityChangeIsNotifiedAtOnce() throws {
        var h = Harness(rules: [rule("Disk", "disk_used_percent > 90", .high)])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        #expect(h.email.delivered.count == 1)
        h.configuration.rules = [rule("Disk", "disk_used_percent > 90", .critical)]
        let escalated = try h.eval("2026-11-24T02:05", [disk(95)])
        #expect(escalated.alerts[0].notify)
        #expect(h.email.delivered.count == 2)
        #expect(h.email.delivered[1].alerts[0].reason == .severityChanged)
    }

    @Test func oneDigestPerChannelCriticalFirst() throws {
        let h = Harness(rules: [
            rule("Medium", "disk_used_percent > 50", .medium),
            rule("Critical", "disk_used_percent > 90", .critical),
        ])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        #expect(h.email.delivered.count == 1)
        #expect(h.email.delivered[0].alerts.map(\.rule) == ["Critical", "Medium"])
        #expect(DigestFormatter.subject(h.email.delivered[0]) == "[CRITICAL] 2 firing — test-host")
    }

    @Test func dryRunWritesNothingAndSendsNothing() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        _ = try h.eval("2026-11-24T02:00", [disk(95)])
        let before = try Data(contentsOf: URL(fileURLWithPath: h.configuration.statePath))
        let dry = try h.eval("2026-11-24T05:00", dryRun: true, [disk(95)])
        #expect(dry.dryRun)
        #expect(dry.alerts[0].notify)
        #expect(dry.notifications.count == 2)
        #expect(dry.notifications.allSatisfy { $0.status == .wouldSend })
        #expect(h.email.delivered.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.configuration.statePath)) == before)
        let dedup = try h.eval("2026-11-24T02:10", dryRun: true, [disk(95)])
        #expect(dedup.alerts[0].suppressedBy == "dedup")
    }

    @Test func failedDeliveryStaysQueuedAndIsRetriedOnce() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        h.email.failing = true
        let failed = try h.eval("2026-11-24T02:00", [disk(95)])
        #expect(failed.exitCode == 1)
        #expect(failed.notifications.contains { $0.channel == "email" && $0.status == .queued })
        #expect(h.log.delivered.count == 1)
        h.email.failing = false
        let early = try h.eval("2026-11-24T02:00:30", [disk(95)])
        #expect(h.email.delivered.isEmpty)
        #expect(early.exitCode == 1, "still queued, waiting for its backoff")
        let retried = try h.eval("2026-11-24T02:05", [disk(95)])
        #expect(h.email.delivered.count == 1)
        #expect(retried.notifications.contains { $0.channel == "email" && $0.status == .sent && $0.retry })
        _ = try h.eval("2026-11-24T02:10", [disk(95)])
        #expect(h.email.delivered.count == 1)
    }

    @Test func silencedAlertsAreRecordedButNotSent() throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        let store = try StateStore(path: h.configuration.statePath)
        _ = try store.add(Silence(rule: "DiskAlmostFull", matchers: [], startsAt: at("2026-11-24T00:00"),
                                  endsAt: at("2026-11-24T03:00"), comment: "maintenance", createdBy: "ops",
                                  createdAt: at("2026-11-24T00:00")))
        let silenced = try h.eval("2026-11-24T02:00", [disk(95)])
        #expect(silenced.alerts[0].state == .firing)
        #expect(silenced.alerts[0].suppressedBy == "silence")
        #expect(h.email.delivered.isEmpty)
        _ = try h.eval("2026-11-24T03:05", [disk(95)])
        #expect(h.email.delivered.count == 1)
    }

    @Test func concurrentEvaluationsNotifyOnce() async throws {
        let h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        h.collector.set([disk(95)])
        let configuration = h.configuration
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { _ = try Evaluator(configuration: configuration).run(now: at("2026-11-24T02:00")) }
            }
            try await group.waitForAll()
        }
        #expect(h.email.delivered.count == 1)
    }

    @Test func failingCollectorYieldsCollectorUpZeroAndExitOne() throws {
        struct Broken: Collector {
            var name: String { "disk" }
            var metricNames: [String] { [] }
            func collect(_ context: CollectionContext) throws -> [Observation] {
                throw CollectorFailure("statvfs /nope: No such file or directory")
            }
        }
        var h = Harness(rules: [rule("CollectorFailed", "collector_up == 0", .high,
                                     summary: "{{ $labels.collector }}: {{ $labels.error }}")])
        h.configuration.collectors = [Broken()]
        let report = try h.eval("2026-11-24T02:00", [])
        #expect(report.exitCode == 1)
        #expect(report.errors == [CollectorErrorReport(collector: "disk", message: "statvfs /nope: No such file or directory")])
        #expect(report.alerts.first?.summary == "disk: statvfs /nope: No such file or directory")
    }
}

@Suite struct MaintenanceWindowTests {
    @Test func alertsInsideTheMonthlyWindowAreRecordedButNotSent() throws {
        var h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        // The monthly full recalculation: 01:00–03:00 on the 1st.
        h.configuration.maintenance = [MaintenanceWindow(name: "full recalculation",
                                                         schedule: try CronSchedule("0 1 1 * *"), duration: 7_200)]
        let inside = try h.eval("2026-12-01T02:30", [disk(95)])
        #expect(inside.alerts[0].state == .firing)
        #expect(inside.alerts[0].suppressedBy == "silence")
        #expect(inside.alerts[0].reason.contains("maintenance window full recalculation"))
        #expect(h.email.delivered.isEmpty)
        _ = try h.eval("2026-12-01T03:05", [disk(95)])
        #expect(h.email.delivered.count == 1)
    }

    @Test func windowOnlyMatchesItsRuleAndLabels() throws {
        var h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        h.configuration.maintenance = [MaintenanceWindow(name: "backup disk", schedule: try CronSchedule("0 3 * * 0"),
                                                         duration: 3_600, rule: "DiskAlmostFull",
                                                         matchers: [SilenceMatcher(parsing: "path=/backup")!])]
        // Sunday 03:30, but the alert is about /data.
        let report = try h.eval("2026-11-29T03:30", [disk(95)])
        #expect(report.alerts[0].notify)
    }
}
