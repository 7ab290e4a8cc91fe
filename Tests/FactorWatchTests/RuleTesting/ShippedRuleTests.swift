import Foundation
import Testing
@testable import FactorWatch

/// The shipped rules are proven by their own test files: every `rules/tests/*.yaml` must decode and pass.
struct ShippedRuleTests {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let testFiles: [String] = {
        let directory = repository + "/rules/tests"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }()

    @Test func everyShippedRuleFileHasATestFile() throws {
        let rules = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/rules")
            .filter { $0.hasSuffix(".yaml") }
        #expect(!rules.isEmpty)
        for rule in rules {
            let suite = try #require(Self.testFiles.first { $0.hasSuffix("/" + rule) }.map {
                try RuleTestDecoder.load(file: $0)
            }, "rules/tests/\(rule) is missing")
            // Every rule in the file is expected to fire in at least one case.
            let expected = Set(suite.cases.flatMap { $0.steps.flatMap { $0.expect ?? [] } }.map(\.alert))
            for rule in suite.rules {
                #expect(expected.contains(rule.name), "\(rule.name) is never expected to fire in \(suite.file)")
            }
        }
    }

    @Test(arguments: testFiles)
    func shippedRuleTestsPass(file: String) throws {
        let suite = try RuleTestDecoder.load(file: file)
        #expect(!suite.cases.isEmpty)
        for result in RuleTestRunner(suite: suite).run() {
            #expect(result.passed, "\(result.text())")
            #expect(result.stepsRun > 0)
        }
    }

    @Test func theAlertTableHoldsForTheShippedRules() throws {
        // SPEC §1: each condition's severity and default channels, read from the passing cases.
        let table: [(String, Severity, [String])] = [
            ("FactorDataStale", .critical, ["email", "sms"]), ("DiskAlmostFull", .critical, ["email", "sms"]),
            ("FactorZeroVariance", .high, ["email"]), ("FactorCoverageLow", .medium, ["email"]),
            ("FactorMissingHigh", .medium, ["email"]),
        ]
        let suites = try Self.testFiles.map { try RuleTestDecoder.load(file: $0) }
        let steps: [RuleTestStep] = suites.flatMap(\.cases).flatMap(\.steps)
        let expectations: [AlertExpectation] = steps.flatMap { $0.expect ?? [] }
        for (name, severity, channels) in table {
            let checked = expectations.filter { expectation in
                guard let notify = expectation.notify else { return false }
                return expectation.alert == name && expectation.severity == severity && Set(notify) == Set(channels)
            }
            #expect(!checked.isEmpty, "no case checks \(name) as \(severity.rawValue) to \(channels)")
        }
    }
}
