import Foundation
import Testing

/// `status` takes its levels from the rules and the alert states: the same configuration's `eval` is the
/// reference, and editing a rule file changes `status` with it.
@Suite struct StatusCommandTests {
    static let now = "2026-11-24T02:45:00+08:00"

    static func configure(_ scratch: Scratch, rows: Int, diskSeverity: String) -> String {
        let demo = repositoryRoot + "/examples/demo"
        scratch.write("rules/status.yaml", """
            rules:
              - alert: Stale
                expr: factor_file_age_trading_days >= 2
                severity: critical
              - alert: FewRows
                expr: factor_rows < \(rows)
                severity: medium
              - alert: DiskUsed
                expr: disk_used_percent > 0
                severity: \(diskSeverity)
            """)
        scratch.write("channels/log.yaml", "type: log\npath: \(scratch.path)/alerts.log\n")
        return scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/state/fw.db
            calendar: \(demo)/calendar/trade_cal.csv
            collectors:
              factor_files: { dir: \(demo)/data/barra_factors/by_date }
              disk: { paths: [\(demo)/data] }
            routes:
              critical: { channels: [log] }
              high: { channels: [log] }
              medium: { channels: [log] }
              low: { channels: [log] }
            """)
    }

    /// Each line of the status JSON with its level and rules.
    static func statusLines(_ config: String) throws -> [(section: String, level: String, rules: [String], metric: String?)] {
        let result = try factorwatch(["status", "--config", config, "--now", now, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                "\(result.stderr)")
        let sections = try #require(json["sections"] as? [[String: Any]])
        return sections.flatMap { section in
            (section["lines"] as? [[String: Any]] ?? []).map {
                (section["title"] as? String ?? "", $0["level"] as? String ?? "", $0["rules"] as? [String] ?? [],
                 $0["metric"] as? String)
            }
        }
    }

    @Test func everyFiringAlertOfEvalIsAStatusLineAtItsSeverity() throws {
        let scratch = Scratch()
        let config = Self.configure(scratch, rows: 4000, diskSeverity: "high")
        let eval = try factorwatch(["eval", "--dry-run", "--config", config, "--now", Self.now, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let firing = (document["alerts"] as? [[String: Any]] ?? []).filter { ($0["state"] as? String) == "firing" }
        #expect(firing.count == 3, "\(eval.stdout)")
        let lines = try Self.statusLines(config)
        for alert in firing {
            let rule = alert["rule"] as? String ?? ""
            let severity = alert["severity"] as? String ?? ""
            let expected = severity == "critical" || severity == "high" ? "bad" : "warn"
            #expect(lines.contains { $0.rules.contains(rule) && $0.level == expected },
                    "\(rule) (\(severity)) should be a \(expected) line: \(lines)")
        }
    }

    @Test func editingARuleChangesStatus() throws {
        let scratch = Scratch()
        let config = Self.configure(scratch, rows: 4000, diskSeverity: "high")
        let before = try Self.statusLines(config)
        #expect(before.first { $0.metric == "factor_rows" }?.level == "warn")
        #expect(before.first { $0.metric == "disk_used_percent" }?.level == "bad")

        _ = Self.configure(scratch, rows: 3000, diskSeverity: "low")
        let after = try Self.statusLines(config)
        #expect(after.first { $0.metric == "factor_rows" }?.level == "ok")
        #expect(after.first { $0.metric == "disk_used_percent" }?.level == "warn")
        #expect(after.first { $0.metric == "factor_file_age_trading_days" }?.level == "bad")
    }
}
