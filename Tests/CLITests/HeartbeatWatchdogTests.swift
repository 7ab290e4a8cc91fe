import Foundation
import Testing

/// The README's Alertmanager Watchdog recipe, as written, against Debian's Alertmanager: the always-firing alert
/// is active there after an eval, with an endsAt in the future, and reaches no other channel.
@Suite struct HeartbeatWatchdogTests {
    static let alertmanager = "/usr/bin/prometheus-alertmanager"
    static let enabled = ProcessInfo.processInfo.environment["CI"] == "true"
        || FileManager.default.isExecutableFile(atPath: alertmanager)

    @Test(.enabled(if: enabled), .timeLimit(.minutes(2)))
    func theWatchdogRuleStaysActiveInAlertmanager() throws {
        let scratch = Scratch()
        let port = DeafPort().port  // free once the DeafPort is gone
        scratch.write("am/am.yml", "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.alertmanager)
        server.arguments = ["--config.file=\(scratch.path)/am/am.yml", "--storage.path=\(scratch.path)/am/data",
                            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let api = "http://127.0.0.1:\(port)/api/v2/alerts"
        func alerts() throws -> RunResult {
            try runProgram(["python3", "-c", """
                import json, sys, urllib.request
                for a in json.load(urllib.request.urlopen(sys.argv[1], timeout=5)):
                    print(a["labels"]["alertname"], a["status"]["state"], a["endsAt"])
                """, api])
        }
        for _ in 0..<100 where try alerts().status != 0 { Thread.sleep(forTimeInterval: 0.1) }
        scratch.write("rules/watchdog.yaml", """
            rules:
              - alert: Watchdog
                expr: vector(1)              # always firing
                severity: low
                channels: [alertmanager]     # only there: it must not reach people
                summary: factorwatch is alive (this alert fires all the time)
            """)
        scratch.write("channels/alertmanager.yaml", "type: alertmanager\nurls: [http://127.0.0.1:\(port)]\n")
        let config = scratch.demoConfiguration()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "rules: [\(repositoryRoot)/rules/*.yaml]", with: "rules: [rules/*.yaml]")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let eval = try factorwatch(["eval", "--config", config])
        #expect(eval.status == 0, "\(eval.stdout)\(eval.stderr)")
        let seen = try alerts()
        let line = seen.stdout.split(separator: "\n").first { $0.hasPrefix("Watchdog ") }.map(String.init) ?? ""
        #expect(line.hasPrefix("Watchdog active "), "\(seen.stdout)\(seen.stderr)")
        let endsAt = ISO8601DateFormatter().date(from: String(line.split(separator: " ").last ?? "")
            .replacingOccurrences(of: ".000Z", with: "Z"))
        #expect((endsAt?.timeIntervalSinceNow ?? 0) > 60, "\(line)")
        let log = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
        #expect(!log.contains("Watchdog"), "the Watchdog reaches only Alertmanager")
    }
}
