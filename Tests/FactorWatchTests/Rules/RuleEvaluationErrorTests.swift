import Foundation
import Testing
@testable import FactorWatch

/// A rule whose expression cannot be evaluated fails `factorwatch test` loudly, as promtool fails on
/// "multiple matches for labels", even when the case expected no alert.
struct RuleEvaluationErrorTests {
    @Test func anAmbiguousMatchFailsTheRuleTest() throws {
        let directory = TemporaryDirectory("ruleerror")
        directory.write("rules.yaml", """
            rules:
              - alert: OverLimit
                expr: used > on(path) limit
                severity: high
            """)
        let file = directory.write("test.yaml", """
            rule_files: [rules.yaml]
            cases:
              - name: two devices on one path
                steps:
                  - at: 2026-11-24T02:45:00+08:00
                    observations: ['used{path="/b"} 7', 'used{path="/b",device="x"} 9', 'limit{path="/b"} 3']
                    expect: []
            """)
        let results = RuleTestRunner(suite: try RuleTestDecoder.load(file: file)).run()
        #expect(results.count == 1)
        #expect(results.first?.passed == false)
        #expect(results.first?.error?.contains("rule OverLimit failed: multiple matches for labels") == true,
                "\(results.first?.text() ?? "")")
    }
}
