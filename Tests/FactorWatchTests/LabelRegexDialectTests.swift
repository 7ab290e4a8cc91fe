import Testing

@testable import FactorWatch

/// Label matchers (`=~`, `!~`) in rules and silences follow RE2 as Prometheus 2.x does: anchored at both ends,
/// `.` not matching a newline, ASCII-only classes, `a{,3}` literal. The answers are RE2's, from its syntax
/// documentation.
@Suite struct LabelRegexDialectTests {
    /// (regex, label value, RE2's answer for `=~`)
    static let cases: [(String, String, Bool)] = [
        ("[[:alpha:]]+", "é", false), ("[[:alpha:]]+", "abc", true), ("\\w+", "é", false), ("\\w+", "x_1", true),
        ("a{,3}", "a{,3}", true), ("a{,3}", "aaa", false), (".*", "a\nb", false), ("(?s).*", "a\nb", true),
        ("ab", "xaby", false), ("a|b", "b", true), ("/data.*", "/data/x", true), ("\\p{L}+", "é", true),
        ("(?i)sh", "SH", true), ("", "", true),
    ]

    @Test(arguments: 0..<cases.count) func ruleMatchersAnswerAsRE2(_ index: Int) throws {
        let (regex, value, expected) = LabelRegexDialectTests.cases[index]
        let observations = [Observation("m", ["l": value], 1)]
        let escaped = regex.replacingOccurrences(of: "\\", with: "\\\\")
        let matching = try RuleExpression("m{l=~\"\(escaped)\"}").evaluate(observations, at: 0)
        let notMatching = try RuleExpression("m{l!~\"\(escaped)\"}").evaluate(observations, at: 0)
        #expect(matching.count == (expected ? 1 : 0), "\(regex) on \(value.debugDescription)")
        #expect(notMatching.count == (expected ? 0 : 1), "\(regex) on \(value.debugDescription)")
    }

    @Test(arguments: 0..<cases.count) func silenceMatchersAnswerAsRE2(_ index: Int) throws {
        let (regex, value, expected) = LabelRegexDialectTests.cases[index]
        let matcher = try #require(SilenceMatcher(parsing: "l=~\(regex)"))
        #expect(matcher.matches(["l": value]) == expected, "\(regex) on \(value.debugDescription)")
    }

    @Test func patternsThatAreNotRE2AreRejected() {
        #expect(throws: (any Error).self) { try RuleExpression("m{l=~\"(a)\\\\1\"}") }
        #expect(throws: (any Error).self) { try RuleExpression("m{l=~\"(?=a)\"}") }
        #expect(SilenceMatcher(parsing: "l=~(?<!a)b") == nil)
    }
}
