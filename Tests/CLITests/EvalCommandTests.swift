import Foundation
import Testing

@Suite struct EvalCommandTests {
    let now = "2026-11-24T02:45:00+08:00"

    @Test func demoFiresStaleDataAndLogsItOnce() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let first = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("FIRING critical FactorDataStale"))
        #expect(first.stdout.contains("No factor data for 2 trading days (latest file 20261119)"))
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        // The demo's latest file is stale, has a constant factor, too few stocks and a column 25% missing; the
        // shipped rules/inhibit.yaml holds the three quality pages about that old file back while it is stale.
        #expect(log.split(separator: "\n").map { String($0) }.compactMap { line in
            ["FactorDataStale", "FactorZeroVariance", "FactorCoverageLow", "FactorMissingHigh"]
                .first { line.contains("\"rule\":\"\($0)\"") }
        } == ["FactorDataStale"])
        for rule in ["FactorZeroVariance", "FactorCoverageLow", "FactorMissingHigh"] {
            #expect(first.stdout.contains(rule), "\(rule) is still recorded and shown")
        }
        #expect(first.stdout.components(separatedBy: "inhibited while FactorDataStale").count == 4)

        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("already notified"))
        #expect(try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8) == log)
    }

    @Test func twoOverlappingEvalProcessesNotifyOnce() async throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let now = self.now
        async let first = Task.detached { try factorwatch(["eval", "--config", config, "--now", now]) }.value
        async let second = Task.detached { try factorwatch(["eval", "--config", config, "--now", now]) }.value
        let results = try await [first, second]
        #expect(results.map(\.status) == [0, 0])
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1)
        #expect(results.filter { $0.stdout.contains("already notified") }.count == 1)
    }

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let scratch = Scratch()
        let result = try factorwatch(["eval", "--config", scratch.demoConfiguration(), "--now", now, "--dry-run",
                                      "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["evaluated_at"] as? String == now)
        #expect(object["dry_run"] as? Bool == true)
        #expect((object["observations"] as? [[String: Any]])?.isEmpty == false)
        let alerts = object["alerts"] as! [[String: Any]]
        let stale = alerts.first { $0["rule"] as? String == "FactorDataStale" }!
        #expect(stale["severity"] as? String == "critical")
        #expect(stale["state"] as? String == "firing")
        // The file's date is in the summary, not in the alert's identity.
        #expect((stale["labels"] as? [String: String]).map { Set($0.keys) } == ["dir"])
        #expect((stale["summary"] as? String)?.contains("20261119") == true)
        #expect(stale["value"] as? Int == 2)
        #expect(stale["channels"] as? [String] == ["alerts_log"])
        #expect(stale["notify"] as? Bool == true)
        #expect(stale["suppressed_by"] is NSNull)
        let notifications = object["notifications"] as! [[String: Any]]
        #expect(notifications.count == 1)
        #expect(notifications[0]["channel"] as? String == "alerts_log")
        #expect((notifications[0]["subject"] as? String)?.hasPrefix("[CRITICAL]") == true)
        #expect(notifications[0]["alerts"] as? [String] == ["FactorDataStale"])
        let inhibited = alerts.first { $0["rule"] as? String == "FactorZeroVariance" }!
        #expect(inhibited["state"] as? String == "firing")
        #expect(inhibited["notify"] as? Bool == false)
        #expect(inhibited["suppressed_by"] as? String == "inhibit")
        #expect(inhibited["reason"] as? String == "inhibited while FactorDataStale{dir=\"\(repositoryRoot)/examples/demo/data/barra_factors/by_date\"} fires")
        #expect((object["errors"] as? [Any])?.isEmpty == true)
    }

    @Test func dryRunLeavesTheStateDatabaseByteIdentical() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        try factorwatch(["eval", "--config", config, "--now", now])
        let database = scratch.path + "/state/fw.db"
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/state").sorted()
        let dry = try factorwatch(["eval", "--config", config, "--now", "2026-11-25T02:45:00+08:00", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would send"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/state").sorted() == entries)
        #expect(try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8).split(separator: "\n").count == 1)
    }

    @Test func unreadableDataDirectoryIsACollectorFailureAndExitOne() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "/data/barra_factors/by_date", with: "/data/no_such_dir")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(result.status == 1)
        #expect(result.stdout.contains("collector factor_files failed"))
        #expect(result.stdout.contains("CollectorFailed{collector=\"factor_files\"}"))
    }

    @Test func corruptStateDatabaseExitsTwoAndIsLeftAlone() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let garbage = String(repeating: "garbage ", count: 600)
        scratch.write("state/fw.db", garbage)
        let result = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the state database is damaged or not a database"))
        #expect(try String(contentsOfFile: scratch.path + "/state/fw.db", encoding: .utf8) == garbage)
    }

    @Test func badConfigurationExitsTwoAndChangesNothing() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "colectors: {}")
        let result = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(result.status == 2)
        #expect(result.stderr.contains("factorwatch.yaml:14:1: unknown key \"colectors\""))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/state"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try factorwatch(["eval", "--no-such-flag"]).status == 2)
        let scratch = Scratch()
        let result = try factorwatch(["eval", "--config", scratch.demoConfiguration(), "--now", "yesterday"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--now"))
    }

    @Test func nagiosModeMapsTheWorstSeverity() throws {
        let scratch = Scratch()
        let result = try factorwatch(["eval", "--config", scratch.demoConfiguration(), "--now", now, "--dry-run",
                                      "--nagios"])
        #expect(result.status == 2)
    }

    @Test func ruleFilterEvaluatesOnlyTheNamedRules() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let result = try factorwatch(["eval", "--config", config, "--now", now, "--dry-run", "--rule", "DiskAlmostFull"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("FactorDataStale"))
        #expect(try factorwatch(["eval", "--config", config, "--rule", "NoSuchRule"]).status == 2)
    }
}

@Suite struct CheckCommandTests {
    @Test func shippedDemoConfigurationIsValid() throws {
        let result = try factorwatch(["check", "--config", repositoryRoot + "/examples/demo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK"))
        // The libcurl the deliveries load, as its own headers' curl-config names it.
        let curlConfig = try runProgram(["curl-config", "--version"]).stdout
        #expect(result.stdout.contains("channels deliver through \(curlConfig.trimmingCharacters(in: .newlines)) (TLS: OpenSSL/"))
    }

    @Test func everyProblemIsPrintedAsFileLineColumn() throws {
        let scratch = Scratch()
        scratch.write("channels/log.yaml", "type: log\npath: \"-\"\n")
        scratch.write("rules/r.yaml", """
            rules:
              - alert: A
                expr: disk_used_percent >> 90
                severity: critical
              - alert: B
                expr: disk_used_percent > 90
                severity: severe
            """)
        scratch.write("factorwatch.yaml", "state: \(scratch.path)/fw.db\nroutes:\n  critical: { channels: [sms] }\n")
        let result = try factorwatch(["check", "--config", scratch.path])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix(scratch.path + "/") })
        #expect(lines.contains { $0.contains("r.yaml:3:") })
        #expect(lines.contains { $0.contains("r.yaml:7:15: rule \"B\": unknown severity \"severe\"") })
        #expect(lines.contains { $0.contains("factorwatch.yaml:3:26: route critical names unknown channel \"sms\"") })
    }
}
