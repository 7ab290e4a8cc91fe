import Foundation
import Testing
@testable import FactorWatch

/// The runner itself: pass, fail with a diff, malformed files with positions, and state across steps.
struct RuleTestRunnerTests {
    static let rules = """
        rules:
          - alert: Stale
            expr: age_days >= 2
            severity: critical
            summary: "stale for {{ $value }} days"
          - alert: SlowUpdate
            expr: job_last_duration_seconds > 300
            for: 10m
            severity: low
        """

    /// Writes `rules.yaml` and `test.yaml` into a fresh directory and decodes the test file.
    func suite(_ test: String, in directory: TemporaryDirectory) throws -> RuleTestSuite {
        directory.write("rules.yaml", Self.rules)
        return try RuleTestDecoder.load(file: directory.write("test.yaml", "rule_files: [rules.yaml]\n" + test))
    }

    func problems(_ test: String) -> [ConfigProblem] {
        let directory = TemporaryDirectory("ruletest")
        do {
            _ = try suite(test, in: directory)
            return []
        } catch let error as ConfigurationError {
            return error.problems
        } catch {
            return []
        }
    }

    @Test func aPassingCasePasses() throws {
        let directory = TemporaryDirectory("ruletest")
        let results = RuleTestRunner(suite: try suite("""
            cases:
              - name: fires
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="d"} 3']
                    expect: [{ alert: Stale, state: firing, labels: { dir: d }, summary: "stale for 3 days",
                               notify: [email, sms] }]
            """, in: directory)).run()
        #expect(results.count == 1)
        #expect(results[0].passed, "\(results[0].text())")
        #expect(results[0].text() == "ok   fires")
    }

    @Test func aWrongExpectationFailsWithAFieldDiff() throws {
        let directory = TemporaryDirectory("ruletest")
        let result = RuleTestRunner(suite: try suite("""
            cases:
              - name: wrong summary
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="d"} 3']
                    expect: [{ alert: Stale, summary: "stale for 2 days" }]
            """, in: directory)).run()[0]
        #expect(!result.passed)
        let text = result.text()
        #expect(text.hasPrefix("FAIL wrong summary (\(directory.path)/test.yaml:3:5)"))
        #expect(text.contains("step 1 at 2026-11-24T02:45:00+08:00"))
        #expect(text.contains("- Stale summary=\"stale for 2 days\""))
        #expect(text.contains("+ Stale{dir=\"d\"} firing critical value=3 notify=[email, sms]"))
        #expect(text.contains("summary: expected \"stale for 2 days\", got \"stale for 3 days\""))
    }

    @Test func anUnexpectedAlertAndAMissingOneBothFail() throws {
        let directory = TemporaryDirectory("ruletest")
        let results = RuleTestRunner(suite: try suite("""
            cases:
              - name: expected nothing
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="d"} 5']
                    expect: []
              - name: expected an alert that does not fire
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="d"} 1']
                    expect: [{ alert: Stale }]
            """, in: directory)).run()
        #expect(!results[0].passed)
        #expect(results[0].text().contains("+ Stale{dir=\"d\"} firing"))
        #expect(!results[1].passed)
        #expect(results[1].text().contains("- Stale"))
        #expect(results[1].text().contains("no such alert at this step"))
    }

    @Test func deduplicationAndRepeatCarryAcrossSteps() throws {
        let directory = TemporaryDirectory("ruletest")
        let result = RuleTestRunner(suite: try suite("""
            routes: { critical: { channels: [email], repeat: 1h } }
            cases:
              - name: repeat after an hour
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days 2']
                    expect: [{ alert: Stale, notify: [email] }]
                  - at: +59m
                    observations: ['age_days 2']
                    expect: [{ alert: Stale, notify: [], suppressed_by: dedup }]
                  - at: +1m
                    observations: ['age_days 2']
                    expect: [{ alert: Stale, notify: [email], suppressed_by: none }]
            """, in: directory)).run()[0]
        #expect(result.passed, "\(result.text())")
        #expect(result.stepsRun == 3)
    }

    @Test func forKeepsAnAlertPendingUntilItElapses() throws {
        let directory = TemporaryDirectory("ruletest")
        let result = RuleTestRunner(suite: try suite("""
            cases:
              - name: slow update
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['job_last_duration_seconds{job="update"} 420']
                    expect: [{ alert: SlowUpdate, state: pending, notify: [] }]
                  - at: +10m
                    observations: ['job_last_duration_seconds{job="update"} 420']
                    expect: [{ alert: SlowUpdate, state: firing, severity: low, notify: [log] }]
            """, in: directory)).run()[0]
        #expect(result.passed, "\(result.text())")
    }

    @Test func aSilenceSuppressesNotificationsButTheAlertStillFires() throws {
        let directory = TemporaryDirectory("ruletest")
        let result = RuleTestRunner(suite: try suite("""
            cases:
              - name: silenced
                silences: [{ rule: Stale, matchers: ['dir="a"'] }]
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="a"} 2', 'age_days{dir="b"} 2']
                    expect:
                      - { alert: Stale, labels: { dir: a }, state: firing, notify: [], suppressed_by: silence }
                      - { alert: Stale, labels: { dir: b }, state: firing, notify: [email, sms] }
            """, in: directory)).run()[0]
        #expect(result.passed, "\(result.text())")
    }

    @Test func expectationsArePairedOneToOne() throws {
        // The loose expectation must not take the alert the strict one needs.
        let directory = TemporaryDirectory("ruletest")
        let result = RuleTestRunner(suite: try suite("""
            cases:
              - name: pairing
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir="a"} 2', 'age_days{dir="b"} 4']
                    expect: [{ alert: Stale }, { alert: Stale, labels: { dir: a } }]
            """, in: directory)).run()[0]
        #expect(result.passed, "\(result.text())")
    }

    @Test func aMalformedFileNamesEachProblemByLineAndColumn() {
        let found = problems("""
            cases:
              - name: bad
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['age_days{dir=d} 3']
                    expect: [{ alert: Stael, stat: firing }]
                  - at: yesterday
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.contains("test.yaml:7:34: unknown key \"stat\"") && $0.contains("\"state\"") })
        #expect(text.contains { $0.contains("test.yaml:7:27: no rule under test is named \"Stael\"") })
        #expect(text.contains { $0.contains("test.yaml:6:38: observation: label values are double-quoted") })
        #expect(text.contains { $0.contains("test.yaml:8:13: at: cannot read \"yesterday\"") })
    }

    @Test func stepsMustRunForwardInTime() {
        let found = problems("""
            cases:
              - name: backwards
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                  - at: 2026-11-24T02:40:00+08:00
            """)
        let text = found.map(\.description)
        #expect(text.contains { $0.contains("test.yaml:6:13") && $0.contains("before the previous") })
    }

    @Test func aBrokenRuleFileMakesTheTestFileMalformed() {
        let directory = TemporaryDirectory("ruletest")
        directory.write("rules.yaml", "rules:\n  - alert: X\n    expr: age_days >>= 2\n    severity: high\n")
        let file = directory.write("test.yaml", "rule_files: [rules.yaml]\ncases: [{ name: x, steps: [] }]\n")
        #expect(throws: ConfigurationError.self) { try RuleTestDecoder.load(file: file) }
        do {
            _ = try RuleTestDecoder.load(file: file)
        } catch {
            #expect(error.problems.contains { $0.file.hasSuffix("rules.yaml") && $0.line == 3 })
        }
    }

    @Test func observationsParseInExpositionForm() throws {
        let observation = try ExpositionLine.parse(#"disk_used_percent{path="/a \"b\"", x="1"} 93.5"#)
        #expect(observation.metric == "disk_used_percent")
        #expect(observation.labels == ["path": "/a \"b\"", "x": "1"])
        #expect(observation.value == 93.5)
        #expect(try ExpositionLine.parse("load1 -Inf").value == -.infinity)
        #expect(throws: ExpositionLine.Failure.self) { try ExpositionLine.parse("load1") }
        #expect(throws: ExpositionLine.Failure.self) { try ExpositionLine.parse("m{a=\"1\" 2") }
    }
}
