import Foundation
import Testing

/// Never a false all-clear: what a failed collector could not observe keeps its state, and the failure pages at
/// least as loudly as the worst alert it blinds.
@Suite struct ReliabilityCollectorTests {
    /// The demo tree copied into a scratch directory, with the shipped rules and a JSON log channel.
    static func demoCopy(_ scratch: Scratch) throws -> String {
        let demo = repositoryRoot + "/examples/demo"
        try FileManager.default.copyItem(atPath: demo + "/data", toPath: scratch.path + "/data")
        try FileManager.default.copyItem(atPath: demo + "/calendar", toPath: scratch.path + "/calendar")
        scratch.write("channels/alerts_log.yaml", "type: log\npath: \(scratch.path)/alerts.log\nformat: json\n")
        return scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/state/fw.db
            calendar: calendar/trade_cal.csv
            host: test-host
            rules: [\(repositoryRoot)/rules/*.yaml]
            collectors:
              factor_files: { dir: data/barra_factors/by_date, pattern: "%Y%m%d.parquet" }
              disk: { paths: [data] }
              files:
                risk_params: { glob: data/barra_risk/risk_params_latest.json }
              risk_params: { path: data/barra_risk/risk_params_latest.json, factors_dir: data/barra_factors/by_date }
            routes:
              critical: { channels: [alerts_log], repeat: 2h }
              high:     { channels: [alerts_log], repeat: 12h }
              medium:   { channels: [alerts_log], repeat: 24h }
              low:      { channels: [alerts_log], repeat: 24h }
            """)
    }

    static func logLines(_ scratch: Scratch) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    static func firing(_ config: String, at now: String) throws -> [String: String] {
        let result = try factorwatch(["alerts", "--config", config, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let list = object["alerts"] as? [[String: Any]] ?? []
        var states: [String: String] = [:]
        for alert in list {
            let labels = (alert["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            states["\(alert["rule"] as? String ?? "?"){\(labels)}"] = alert["state"] as? String
        }
        return states
    }

    @Test func aMovedAwayDataDirectoryResolvesNothingAndPagesCritical() throws {
        let scratch = Scratch()
        let config = try Self.demoCopy(scratch)
        let first = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(first.stdout.contains("FIRING critical FactorDataStale"), "\(first.stdout)\(first.stderr)")
        let before = try Self.firing(config, at: "")
        #expect(before.count >= 4)

        // The mount drops: the factor files, the risk parameters and the files collector all fail.
        try FileManager.default.moveItem(atPath: scratch.path + "/data/barra_factors",
                                         toPath: scratch.path + "/moved-away")
        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(second.status == 1, "a failed collector exits 1")
        #expect(!second.stdout.contains("RESOLVED"), "\(second.stdout)")
        #expect(second.stdout.contains("FIRING critical CollectorFailed"), "\(second.stdout)")
        let after = try Self.firing(config, at: "")
        for (key, state) in before {
            #expect(after[key] == state, "\(key) was \(state), now \(after[key] ?? "deleted")")
        }
        let lines = try Self.logLines(scratch)
        #expect(!lines.contains { ($0["status"] as? String) == "resolved" }, "\(lines)")
        let failure = lines.first { ($0["rule"] as? String) == "CollectorFailed" }
        #expect(failure?["severity"] as? String == "critical", "\(lines)")

        // Back again: the alerts that still hold stay firing without a new notice; nothing resolved falsely.
        try FileManager.default.moveItem(atPath: scratch.path + "/moved-away",
                                         toPath: scratch.path + "/data/barra_factors")
        let third = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:55:00+08:00"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(Set(try Self.logLines(scratch).filter { ($0["status"] as? String) == "resolved" }
                    .map { $0["rule"] as? String }) == ["CollectorFailed"], "\(third.stdout)")
        let back = try Self.firing(config, at: "")
        for (key, state) in before { #expect(back[key] == state, "\(key)") }
    }

    @Test func aPendingAlertStaysPendingWhileItsCollectorIsDown() throws {
        let scratch = Scratch()
        let config = try Self.demoCopy(scratch)
        scratch.write("rules-extra/pending.yaml", """
            rules:
              - alert: StaleForAWhile
                expr: factor_file_age_trading_days >= 2
                for: 1h
                severity: low
            """)
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "rules: [", with: "rules: [\(scratch.path)/rules-extra/*.yaml, ")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(try Self.firing(config, at: "").first { $0.key.hasPrefix("StaleForAWhile") }?.value == "pending")
        try FileManager.default.moveItem(atPath: scratch.path + "/data/barra_factors/by_date",
                                         toPath: scratch.path + "/moved-away")
        let down = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(down.status == 1)
        #expect(down.stdout.contains("not observed (collector factor_files failed); state kept"), "\(down.stdout)")
        #expect(try Self.firing(config, at: "").first { $0.key.hasPrefix("StaleForAWhile") }?.value == "pending")
    }
}
