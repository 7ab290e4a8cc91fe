import Foundation
import Testing

/// `heartbeat:` pings a real HTTP server (Tests/Servers/http_server.py) from the built binary: start and success
/// on a good run, fail with the exit code on a bad one, nothing after start when the run is killed.
@Suite struct HeartbeatTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// The request paths the server saw, without the query, and the run ids (`rid=`) they carried.
    static func pings(_ server: LoopbackServer) -> [(path: String, rid: String, body: String)] {
        server.saved(".json").compactMap { text in
            guard let record = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  let full = record["path"] as? String else { return nil }
            let parts = full.split(separator: "?", maxSplits: 1).map(String.init)
            let rid = parts.count > 1 ? parts[1].replacingOccurrences(of: "rid=", with: "") : ""
            #expect(record["method"] as? String == "POST")
            return (parts[0], rid, record["body"] as? String ?? "")
        }
    }

    @Test func aGoodRunUnderCronsEnvironmentPingsStartThenSuccess() throws {
        let scratch = Scratch()
        let http = try LoopbackServer("http_server.py", folder: scratch.path + "/pings")
        let urlFile = scratch.write("hc.url", "http://127.0.0.1:\(http.port)/ping/0c1d\n")
        let config = scratch.demoConfiguration(extra: "heartbeat: { url_file: \(urlFile), timeout: 5s }")
        // As cron runs it: an empty environment.
        let eval = try runProgram(["-i", binaryPath, "eval", "--config", config, "--now", now])
        #expect(eval.status == 0, "\(eval.stderr)")
        let pings = Self.pings(http)
        #expect(pings.map(\.path) == ["/ping/0c1d/start", "/ping/0c1d"], "\(pings)")
        #expect(pings.count == 2 && pings[0].rid == pings[1].rid && pings[0].rid.count == 36, "one run id")
        // A dry run changes nothing and tells nobody.
        let dry = try factorwatch(["eval", "--config", config, "--now", now, "--dry-run"])
        #expect(dry.status == 0)
        #expect(Self.pings(http).count == 2)
        // The next run is another run id.
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        let later = Self.pings(http)
        #expect(later.count == 4 && later[2].rid != later[0].rid)
    }

    @Test func aFailedRunPingsFailWithTheExitCodeAndWhy() throws {
        let scratch = Scratch()
        let http = try LoopbackServer("http_server.py", folder: scratch.path + "/pings")
        let config = scratch.demoConfiguration(extra: "heartbeat: http://127.0.0.1:\(http.port)/ping/abc/")
        scratch.write("channels/email.yaml", """
            type: smtp
            url: smtp://127.0.0.1:1
            password_env: FW_TEST_UNSET_PASSWORD
            from: alerts@example.com
            to: [ops@example.com]
            """)
        let eval = try runProgram(["-i", binaryPath, "eval", "--config", config, "--now", now])
        #expect(eval.status == 1, "\(eval.stderr)")
        let pings = Self.pings(http)
        #expect(pings.map(\.path) == ["/ping/abc/start", "/ping/abc/fail"], "\(pings)")
        let body = pings.last?.body ?? ""
        #expect(body.hasPrefix("exit 1\n"), "\(body)")
        #expect(body.contains("channel email cannot send"), "\(body)")
    }

    @Test func aRunThatIsKilledSendsNoSuccess() throws {
        let scratch = Scratch()
        // The hook answers after 30 s, so eval is still delivering when it is killed.
        let routes = scratch.write("routes.json", #"{"/slow": {"delay": 30}}"#)
        let http = try LoopbackServer("http_server.py", folder: scratch.path + "/pings", arguments: ["--routes", routes])
        scratch.write("channels/hook.yaml", "type: webhook\nurl: http://127.0.0.1:\(http.port)/slow\ntimeout: 60s\n")
        let config = scratch.demoConfiguration(extra: "heartbeat: http://127.0.0.1:\(http.port)/ping/abc")
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "channels: [alerts_log]", with: "channels: [hook, alerts_log]")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["eval", "--config", config, "--now", now]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !Self.pings(http).contains(where: { $0.path == "/slow" }), Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(Self.pings(http).map(\.path) == ["/ping/abc/start", "/slow"])
    }

    @Test func anUnreadableHeartbeatURLFailsAloneAndCheckSaysWhere() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "heartbeat: { url_file: \(scratch.path)/missing.url }")
        let check = try factorwatch(["check", "--config", config])
        #expect(check.status == 2)
        #expect(check.stdout.contains("factorwatch.yaml:"), "\(check.stdout)")
        #expect(check.stdout.contains("heartbeat: cannot read url_file"), "\(check.stdout)")
        let eval = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(eval.status == 1, "\(eval.stderr)")
        #expect(eval.stderr.contains("heartbeat: cannot read url_file"), "\(eval.stderr)")
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(log.contains("\"reason\":\"firing\""), "everything else ran and delivered")
        let bad = scratch.demoConfiguration(extra: "heartbeat: ftp://example.com/x")
        let refused = try factorwatch(["check", "--config", bad])
        #expect(refused.status == 2 && refused.stdout.contains("must start with http:// or https://"))
    }
}
