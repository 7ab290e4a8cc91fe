import Foundation
import Testing
@testable import FactorWatch

@Suite struct ReplayTests {
    /// The shipped factor rules and history rules over 60 trading days of files: `eval` at 23:00 each day from
    /// an empty state, then `replay` of the same days from the history those evaluations stored.
    @Test func replayOf60TradingDaysEqualsTheirEvaluations() throws {
        let fixture = try HistoryFixture(count: 60)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        fixture.dir.write("channels/log.yaml", "type: log\npath: \(fixture.dir.file("alerts.log"))\n")
        let file = fixture.dir.write("replay.yaml", """
            timezone: Asia/Shanghai
            state: \(fixture.dir.file("replay.db"))
            calendar: \(fixture.dir.file("calendar/trade_cal.csv"))
            host: test-host
            rules: [\(repository)/rules/factor_quality.yaml, \(repository)/rules/factor_checks.yaml,
                    \(repository)/rules/history.yaml, \(repository)/rules/factor_files.yaml]
            collectors:
              factor_files: { dir: \(fixture.dir.file("by_date")) }
            routes:
              critical: { channels: [log], repeat: 2h }
              high: { channels: [log], repeat: 12h }
              medium: { channels: [log], repeat: 36h }
              low: { channels: [log], repeat: 24h }
            """)
        let configuration = try ConfigLoader.load(path: file, environment: [:]).configuration
        let evaluator = Evaluator(configuration: configuration)
        let evaluations = try fixture.dates.map { try evaluator.run(now: fixture.evening($0)) }

        let result = try Replay(configuration: configuration).run(from: fixture.dates.first!, to: fixture.dates.last!)
        #expect(result.days.map(\.date) == fixture.dates)
        #expect(result.skippedRules.contains("FactorDataStale") && !result.skippedRules.contains("FactorMissingSpike"))
        let replayed = Set(configuration.rules.map(\.name)).subtracting(result.skippedRules)
        var firing = 0
        for (evaluation, day) in zip(evaluations, result.days) {
            let expected = evaluation.alerts.filter { replayed.contains($0.rule) }.map(Self.describe)
            #expect(day.alerts.map(Self.describe) == expected, "\(day.date)")
            let sent = evaluation.notifications.flatMap { report in
                report.alerts.filter { name in replayed.contains { name.hasPrefix($0) } }.map { "\(report.channel) \($0)" }
            }
            let wouldSend = day.notices.flatMap { channel, notices in notices.map { "\(channel) \($0.rule)" } }
            #expect(Set(wouldSend) == Set(sent.map { String($0.prefix { $0 != "{" }) }), "\(day.date) notices")
            firing += day.alerts.filter { $0.state == .firing }.count
        }
        #expect(firing > 10, "the fixture's odd days make rules fire")
        #expect(result.days.contains { day in day.alerts.contains { $0.rule == "FactorMissingSpike" } })
    }

    static func describe(_ alert: AlertReport) -> String {
        "\(alert.rule)\(alert.labels) \(alert.state.rawValue) \(alert.severity.rawValue) \(formatValue(alert.value)) "
            + "notify=\(alert.notify) \(alert.summary)"
    }
}
