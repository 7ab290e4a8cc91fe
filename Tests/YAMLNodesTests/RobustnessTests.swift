import Testing
import YAMLNodes

/// Any text either parses or fails with a position inside it; large documents parse quickly.
struct RobustnessTests {
    static let sample = """
        timezone: Asia/Shanghai
        collectors:
          factor_files: { dir: data/barra_factors/by_date, pattern: "%Y%m%d.parquet", code_column: ts_code }
          jobs:
            download: { schedule: "0 2 * * *", grace: 20m }
        routes:
          critical: &crit { channels: [email, sms], repeat: 2h }
          high: *crit
        rules:
          - alert: FactorDataStale
            expr: factor_file_age_trading_days >= 2
            summary: |
              No factor data for {{ $value }} days
            labels: {team: '风险'}

        """

    @Test func everyPrefixParsesOrFailsInsideTheText() {
        let characters = Array(Self.sample)
        let lineCount = Self.sample.split(separator: "\n", omittingEmptySubsequences: false).count
        for length in 0...characters.count {
            let text = String(characters[0..<length])
            do {
                _ = try YAMLNode.parse(text)
            } catch {
                #expect(error.line >= 1 && error.line <= lineCount + 1, "\(length): \(error)")
                #expect(error.column >= 1, "\(length): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func tenThousandRulesParseQuickly() throws {
        var text = "rules:\n"
        for index in 0..<10_000 {
            text += "  - alert: Rule\(index)\n    expr: metric_\(index) > \(index)\n    severity: high\n"
        }
        let start = ContinuousClock.now
        let rules = try YAMLNode.parse(text).mapping().required("rules").sequence()
        #expect(rules.count == 10_000)
        #expect(try rules[9_999].mapping().required("expr").string() == "metric_9999 > 9999")
        #expect(rules[9_999].mark.line == 29_999)
        #expect(ContinuousClock.now - start < .seconds(3))
    }
}
