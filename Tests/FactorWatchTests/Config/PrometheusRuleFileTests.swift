import Foundation
import Testing

@testable import FactorWatch

/// Rule files as a Prometheus user writes them.
@Suite struct PrometheusRuleFileTests {
    static let prometheusStyle = """
        groups:
          - name: disk
            rules:
              - alert: DiskAlmostFull
                expr: disk_used_percent > 90
                for: 5m
                keep_firing_for: 10m
                labels:
                  severity: critical
                  team: quant
                annotations:
                  summary: "Disk {{ $labels.path }} at {{ $value }}%"
                  runbook_url: https://wiki.example.com/disk
                  dashboard: "https://grafana.example.com/d/disk?path={{ $labels.path }}"
        """

    @Test func labelsSeverityRunbookURLAndAnyAnnotationAreRead() throws {
        let fixture = ConfigFixture(rules: Self.prometheusStyle)
        let rule = try #require(try fixture.load().configuration.rules.first)
        #expect(rule.severity == .critical)
        #expect(rule.labels == ["team": "quant"])
        #expect(rule.runbook == "https://wiki.example.com/disk")
        #expect(rule.forDuration == 300)
        #expect(rule.keepFiringFor == 600)
        #expect(rule.renderAnnotations(value: 95, labels: ["path": "/data"])
                == ["dashboard": "https://grafana.example.com/d/disk?path=/data"])
    }

    @Test func refusalsNameTheirPlace() {
        func problems(_ rules: String) -> [String] { ConfigFixture(rules: rules).problems() }
        let record = problems("groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum(up)\n")
        #expect(record == ["rules/main.yaml:4:17: recording rules are not supported; write the expression into "
                           + "the alert rule's expr instead"])
        let bare = problems("rules:\n  - alert: A\n    expr: up == 0\n    severity: high\n    for: 300\n")
        #expect(bare.count == 1)
        #expect(bare.first?.hasPrefix("rules/main.yaml:5:10: for needs a unit") == true)
        let interval = problems("groups:\n  - name: g\n    interval: 1m\n    rules:\n      - alert: A\n"
                                + "        expr: up == 0\n        severity: high\n")
        #expect(interval.first?.hasPrefix("rules/main.yaml:3:15: a group's interval is not supported") == true)
        let disagree = problems("rules:\n  - alert: A\n    expr: up == 0\n    severity: high\n"
                                + "    labels: { severity: low }\n")
        #expect(disagree.first?.contains("disagree") == true)
        let none = problems("rules:\n  - alert: A\n    expr: up == 0\n")
        #expect(none.first?.contains("needs \"severity\" (or labels.severity)") == true)
    }

    @Test func keepFiringForHoldsAFiringAlertAfterTheConditionStops() throws {
        var diskRule = rule("DiskAlmostFull", "disk_used_percent > 90", .critical)
        diskRule.keepFiringFor = 600
        let h = Harness(rules: [diskRule])
        #expect(try h.eval("2026-11-24T02:45", [disk(95)]).alerts.map(\.state) == [.firing])
        #expect(try h.eval("2026-11-24T02:50", [disk(50)]).alerts.map(\.state) == [.firing])
        #expect(try h.eval("2026-11-24T02:54", [disk(50)]).alerts.map(\.state) == [.firing])
        // Holding again restarts the wait.
        #expect(try h.eval("2026-11-24T02:58", [disk(95)]).alerts.map(\.state) == [.firing])
        #expect(try h.eval("2026-11-24T03:05", [disk(50)]).alerts.map(\.state) == [.firing])
        let resolved = try h.eval("2026-11-24T03:15", [disk(50)])
        #expect(resolved.alerts.map(\.state) == [.resolved])
    }
}
