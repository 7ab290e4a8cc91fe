import Foundation
import Testing

/// What a new user meets in the first days, through the binary: runbooks, `jobs`, `notify-test`, `--explain`,
/// rule tests against the configuration's routes.
@Suite struct DayOneCommandTests {
    /// A configuration over one disk path with the given rules and an SMTP channel `mail` (never reached in a dry
    /// run) plus a log channel `ops_log`.
    func configuration(_ scratch: Scratch, rules: String, routes: String = "high: { channels: [mail] }") -> String {
        scratch.write("rules/rules.yaml", rules)
        scratch.write("channels/mail.yaml", "type: smtp\nurl: smtp://127.0.0.1:9\nfrom: fw@example.com\n"
                      + "to: [ops@example.com]\n")
        scratch.write("channels/ops_log.yaml", "type: log\npath: \(scratch.path)/ops.log\n")
        return scratch.write("factorwatch.yaml", """
            timezone: UTC
            state: \(scratch.path)/fw.db
            collectors:
              disk: { paths: [\(scratch.path)] }
              jobs:
                update: { schedule: "30 2 * * *", command: "true" }
            routes:
              \(routes)
            """)
    }

    /// A rule that never fires (a configuration needs one).
    static let quietRule = "rules:\n  - alert: Never\n    expr: disk_used_percent > 200\n    severity: low\n"

    /// One always-firing rule over the disk collector with this runbook (line 6 of its file).
    func diskRule(runbook: String) -> String {
        "rules:\n  - alert: DiskWatched\n    expr: disk_used_percent >= 0\n    severity: high\n"
            + "    summary: \"{{ $labels.path }} watched\"\n    runbook: \"\(runbook)\"\n"
    }

    @Test func aRunbookIsRenderedLikeTheSummary() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: diskRule(runbook: "Free space under {{ $labels.path }} (now "
                                                            + "{{ $value | printf \\\"%.0f\\\" }}% used); see {{ .Labels.path }}"))
        let result = try factorwatch(["eval", "--config", config, "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let used = try pythonOutput("import shutil, sys; u = shutil.disk_usage(sys.argv[1]); "
                                    + "print('%.0f' % (100.0 * u.used / (u.used + u.free)))", [scratch.path])
        #expect(result.stdout.contains("    runbook: Free space under \(scratch.path) (now \(used)% used); see "
                                       + scratch.path), "\(result.stdout)")
        #expect(!result.stdout.contains("{{"))
    }

    @Test func aRunbookThatIsNotATemplateIsAConfigurationError() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: diskRule(runbook: "Free space under {{ $labels.path"))
        let result = try factorwatch(["check", "--config", config])
        #expect(result.status == 2)
        #expect(result.stdout.contains("rules/rules.yaml:6:"), "\(result.stdout)")
        #expect(result.stdout.contains("runbook"))
    }

    @Test func notifyTestSaysTestInSubjectAndBody() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: "rules:\n  - alert: A\n    expr: disk_used_percent > 200\n"
                                   + "    severity: high\n    channels: [ops_log]\n")
        let result = try factorwatch(["notify-test", "--config", config, "ops_log"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ops_log: sent — [TEST] factorwatch test notification, not an alert"))
        let log = try String(contentsOfFile: scratch.path + "/ops.log", encoding: .utf8)
        #expect(log.contains("[TEST] low FactorwatchTest: TEST notification from factorwatch"), "\(log)")
        #expect(!log.contains("[FIRING]"))
    }

    @Test func explainNamesTheOperatorThatRemovedASeries() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: """
            rules:
              - alert: Unless
                expr: disk_used_percent >= 0 unless disk_used_percent >= 0
                severity: high
              - alert: And
                expr: disk_used_percent >= 0 and disk_used_percent > 1000
                severity: high
            """)
        let result = try factorwatch(["eval", "--config", config, "--dry-run", "--explain"])
        #expect(result.stdout.contains(": holds, but `unless` removed it (a matching right-hand series exists)"),
                "\(result.stdout)")
        #expect(result.stdout.contains(": holds, but `and` removed it (no matching right-hand series)"))
        let json = try factorwatch(["eval", "--config", config, "--dry-run", "--explain", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let explained = object?["explain"] as? [[String: Any]] ?? []
        let removed = explained.map { rule in
            ((rule["series"] as? [[String: Any]]) ?? []).compactMap { $0["removed_by"] as? String }
        }
        #expect(removed == [["unless"], ["and"]])
    }

    @Test func ruleTestsUseTheConfigurationsRoutesUnlessTold() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: Self.quietRule,
                                   routes: "critical: { channels: [ops_log, mail], repeat: 1h }")
        scratch.write("rules.yaml", """
            rules:
              - alert: DiskFull
                expr: disk_used_percent > 90
                severity: critical
            """)
        func testFile(_ name: String, notify: String, extra: String = "") -> String {
            scratch.write(name, """
                rule_files: [rules.yaml]
                \(extra)
                cases:
                  - name: full disk
                    steps:
                      - at: 2026-11-24T02:45:00+08:00
                        observations: ['disk_used_percent{path="/data"} 95']
                        expect: [{ alert: DiskFull, notify: [\(notify)] }]
                      - at: +61m
                        observations: ['disk_used_percent{path="/data"} 95']
                        expect: [{ alert: DiskFull, notify: [\(notify)] }]
                """)
        }
        let own = testFile("own.yaml", notify: "mail, ops_log")
        // No --config: the factorwatch.yaml beside the test file is the configuration.
        let mine = try factorwatch(["test", own])
        #expect(mine.status == 0, "\(mine.stdout)\(mine.stderr)")
        #expect(mine.stdout.contains("1 cases: 1 passed, 0 failed (routes: \(config))"))
        // The built-in routes have no channel mail or ops_log: the same file is malformed there.
        let builtin = try factorwatch(["test", "--config", config, "--builtin-routes", own])
        #expect(builtin.status == 2)
        #expect(builtin.stdout.contains("(routes: built-in)"))
        let told = testFile("told.yaml", notify: "email, sms", extra: "routes: builtin")
        #expect(try factorwatch(["test", "--config", config, told]).status == 1)  // second step: de-duplicated
        let overridden = testFile("over.yaml", notify: "ops_log",
                                  extra: "routes:\n  critical: { channels: [ops_log], repeat: 1h }")
        let over = try factorwatch(["test", "--config", config, overridden])
        #expect(over.status == 0, "\(over.stdout)")
    }

    @Test func jobsShowsRecentRunsWithTheirOutputTail() throws {
        let scratch = Scratch()
        let config = configuration(scratch, rules: Self.quietRule)
        for (index, code) in [0, 3].enumerated() {
            let run = try factorwatch(["run", "--config", config, "--job", "update", "--", "sh", "-c",
                                       "echo run \(index) line one; echo 'Traceback: boom \(index)' >&2; exit \(code)"])
            #expect(run.status == Int32(code), "\(run.stderr)")
        }
        let all = try factorwatch(["jobs", "--config", config])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "update")
        #expect(lines.count(where: { $0.contains(" exit 3 ") || $0.hasSuffix(" exit 3") || $0.contains("exit 3  on") }) == 1)
        // Overview: the tail only for the failed run.
        #expect(all.stdout.contains("    | Traceback: boom 1"))
        #expect(!all.stdout.contains("    | run 0 line one"))
        let one = try factorwatch(["jobs", "--config", config, "update"])
        #expect(one.stdout.contains("    | run 0 line one"), "\(one.stdout)")
        let json = try factorwatch(["jobs", "--config", config, "update", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let runs = object?.first?["runs"] as? [[String: Any]] ?? []
        #expect(runs.map { $0["exit_code"] as? Int } == [3, 0])
        #expect((runs.first?["output_tail"] as? String)?.contains("Traceback: boom 1") == true)
        let unknown = try factorwatch(["jobs", "--config", config, "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown job \"nope\"; jobs: update"))
    }
}
