import Foundation
import Testing

/// `factorwatch test` and `eval --explain`, run as the built binary.
struct TestCommandTests {
    static let rules = """
        rules:
          - alert: DiskFull
            expr: disk_used_percent > 90
            severity: critical
            summary: "{{ $labels.path }} at {{ $value }}%"
        """

    func testFile(_ scratch: Scratch, expect: String) -> String {
        scratch.write("rules.yaml", Self.rules)
        return scratch.write("disk_test.yaml", """
            rule_files: [rules.yaml]
            cases:
              - name: full disk
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['disk_used_percent{path="/data"} 95']
                    expect: [\(expect)]
            """)
    }

    @Test func passingTestsExitZeroWithOneLinePerCase() throws {
        let scratch = Scratch()
        let file = testFile(scratch, expect: "{ alert: DiskFull, summary: \"/data at 95%\", notify: [email, sms] }")
        let result = try factorwatch(["test", file])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok   \(file): full disk"))
        #expect(result.stdout.contains("1 cases: 1 passed, 0 failed"))
    }

    @Test func aFailingCaseExitsOneWithADiff() throws {
        let scratch = Scratch()
        let file = testFile(scratch, expect: "{ alert: DiskFull, state: pending }")
        let result = try factorwatch(["test", file])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL \(file): full disk"))
        #expect(result.stdout.contains("- DiskFull pending"))
        #expect(result.stdout.contains("+ DiskFull{path=\"/data\"} firing critical value=95"))
        #expect(result.stdout.contains("state: expected pending, got firing"))
    }

    @Test func aMalformedFileExitsTwoWithItsPosition() throws {
        let scratch = Scratch()
        let file = testFile(scratch, expect: "{ alert: DiskFull, colour: red }")
        let result = try factorwatch(["test", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):7:37: unknown key \"colour\" in expected alert"))
    }

    @Test func jsonOutputListsCasesAndDiffs() throws {
        let scratch = Scratch()
        let file = testFile(scratch, expect: "{ alert: DiskFull, severity: low }")
        let result = try factorwatch(["test", file, "--format", "json"])
        #expect(result.status == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Int == 1)
        let files = try #require(object["files"] as? [[String: Any]])
        let cases = try #require(files.first?["cases"] as? [[String: Any]])
        #expect(cases.first?["passed"] as? Bool == false)
    }

    @Test func theShippedRuleTestsPassThroughTheBinary() throws {
        let directory = repositoryRoot + "/rules/tests"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }
        let result = try factorwatch(["test"] + files.sorted().map { directory + "/" + $0 })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("FAIL"))
    }

    @Test func explainShowsEachSeriesAgainstItsThreshold() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let result = try factorwatch(["eval", "--config", config, "--dry-run", "--explain",
                                      "--now", "2026-11-24T02:45:00+08:00"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FactorDataStale [critical]: factor_file_age_trading_days >= 2"))
        #expect(result.stdout.contains("= 2 >= 2: holds"))
        #expect(result.stdout.contains("{__date=\"20261119\", factor=\"growth\"} = 1 == 1: holds"))
        #expect(result.stdout.contains("{__date=\"20261119\"} = 3950 < 4000: holds"))
        #expect(result.stdout.contains("FactorDataLate [high]"))
        #expect(result.stdout.contains("= 2 == 1: does not hold"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/state/fw.db"))
    }

    @Test func explainSaysWhenAnAlertIsDeduplicated() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let now = ["--now", "2026-11-24T02:45:00+08:00"]
        #expect(try factorwatch(["eval", "--config", config] + now).status == 0)
        let result = try factorwatch(["eval", "--config", config, "--dry-run", "--explain",
                                      "--rule", "FactorDataStale", "--now", "2026-11-24T03:00:00+08:00"])
        let expected = "firing, de-duplicated (already notified; repeats after 2026-11-24T04:45:00+08:00)"
        #expect(result.stdout.contains(expected), "\(result.stdout)")
        let json = try factorwatch(["eval", "--config", config, "--dry-run", "--explain", "--format", "json",
                                    "--rule", "FactorDataStale", "--now", "2026-11-24T03:00:00+08:00"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let explain = try #require(object["explain"] as? [[String: Any]])
        #expect(explain.map { $0["rule"] as? String } == ["FactorDataStale"])
        #expect(object["alerts"] != nil)
    }
}
