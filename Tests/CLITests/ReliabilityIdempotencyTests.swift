import Foundation
import Testing

/// A retry is recognisably the same notification: one Message-ID per outbox entry, one webhook Idempotency-Key;
/// a server that acknowledges late (within RFC 5321's final-reply timeout) gets one message; secret headers are
/// sent but never shown or stored.
@Suite struct ReliabilityIdempotencyTests {
    let now = "2026-11-24T02:45:00+08:00"
    let later = "2026-11-24T02:50:00+08:00"

    /// The demo configuration with channel `name` (written by the caller) routed beside the log everywhere.
    static func configuration(_ scratch: Scratch, channel name: String) throws -> String {
        let config = scratch.demoConfiguration()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "channels: [alerts_log]", with: "channels: [\(name), alerts_log]")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    static func emailChannel(_ scratch: Scratch, port: Int, extra: String = "") {
        scratch.write("channels/email.yaml", """
            type: smtp
            url: smtp://127.0.0.1:\(port)
            tls: none
            from: alerts@example.com
            to: [ops@example.com]
            timeout: 2s
            \(extra)
            """)
    }

    /// A header of each message the SMTP server saved, as Python's email package parsed it.
    static func header(_ name: String, _ server: LoopbackServer) -> [String] {
        server.saved(".json").compactMap { text in
            let record = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return (record?["headers"] as? [[String]])?.first { $0[0].lowercased() == name.lowercased() }?[1]
        }
    }

    @Test func aServerThatAcknowledgesLateGetsOneMessage() throws {
        let scratch = Scratch()
        let smtp = try LoopbackServer("smtp_server.py", folder: scratch.path + "/mail", arguments: ["--ack-delay", "4"])
        Self.emailChannel(scratch, port: smtp.port)
        let config = try Self.configuration(scratch, channel: "email")
        let first = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let second = try factorwatch(["eval", "--config", config, "--now", later])
        #expect(second.status == 0, "\(second.stdout)")
        #expect(smtp.saved(".eml").count == 1, "one digest, delivered once")
    }

    @Test func aRetryAfterAMissingFinalReplyCarriesTheSameMessageID() throws {
        let scratch = Scratch()
        let slow = try LoopbackServer("smtp_server.py", folder: scratch.path + "/slow", arguments: ["--ack-delay", "5"])
        Self.emailChannel(scratch, port: slow.port, extra: "final_reply_timeout: 1s")
        let config = try Self.configuration(scratch, channel: "email")
        let first = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(first.status == 1)
        #expect(first.stdout.contains("no final reply within 1s"), "\(first.stdout)")
        let fast = try LoopbackServer("smtp_server.py", folder: scratch.path + "/fast")
        Self.emailChannel(scratch, port: fast.port, extra: "final_reply_timeout: 1s")
        let retry = try factorwatch(["eval", "--config", config, "--now", later])
        #expect(retry.status == 0, "\(retry.stdout)")
        let ids = Self.header("Message-ID", slow) + Self.header("Message-ID", fast)
        #expect(ids.count == 2 && ids[0] == ids[1], "\(ids)")
        #expect(ids.first?.hasPrefix("<factorwatch.") == true, "\(ids)")
        // A new notification is a new message.
        let other = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T05:00:00+08:00"])
        #expect(other.status == 0, "\(other.stdout)")
        let all = Self.header("Message-ID", fast)
        #expect(all.count == 2 && all[1] != all[0], "\(all)")
    }

    @Test func aWebhookRetryCarriesTheSameIdempotencyKey() throws {
        let scratch = Scratch()
        let routes = scratch.write("routes.json", #"{"/hook": {"status": 503}}"#)
        let failing = try LoopbackServer("http_server.py", folder: scratch.path + "/a", arguments: ["--routes", routes])
        scratch.write("channels/hook.yaml", "type: webhook\nurl: http://127.0.0.1:\(failing.port)/hook\n")
        let config = try Self.configuration(scratch, channel: "hook")
        let first = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(first.status == 1 && first.stdout.contains("QUEUED"), "\(first.stdout)")
        let working = try LoopbackServer("http_server.py", folder: scratch.path + "/b")
        scratch.write("channels/hook.yaml", "type: webhook\nurl: http://127.0.0.1:\(working.port)/hook\n")
        let retry = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:47:00+08:00"])
        #expect(retry.status == 0, "\(retry.stdout)")
        func keys(_ server: LoopbackServer) -> [String] {
            server.saved(".json").compactMap {
                let record = try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                return (record?["headers"] as? [String: String])?["Idempotency-Key"]
            }
        }
        let seen = keys(failing) + keys(working)
        #expect(seen.count == 2 && seen[0] == seen[1] && seen[0].count == 32, "\(seen)")
    }

    @Test func secretHeadersAreSentButNeverShownOrStored() throws {
        let scratch = Scratch()
        let token = "tok-4f9c2b7e51d0a3"
        let apiKey = "key-88d1e0c4b2a7f9"
        // The endpoint refuses the request and echoes the credentials back, as some do.
        let routes = scratch.write("routes.json", """
            {"/hook": {"status": 400, "body": "bad request; you sent Authorization: Bearer \(token), X-Api-Key: \(apiKey)"}}
            """)
        let server = try LoopbackServer("http_server.py", folder: scratch.path + "/requests", arguments: ["--routes", routes])
        let tokenFile = scratch.write("token", token + "\n")
        scratch.write("channels/hook.yaml", """
            type: webhook
            url: http://127.0.0.1:\(server.port)/hook
            headers:
              Authorization: { value_file: \(tokenFile), prefix: "Bearer " }
              X-Api-Key: "${FW_TEST_API_KEY}"
              X-Team: quant
            """)
        let config = try Self.configuration(scratch, channel: "hook")
        let eval = try factorwatch(["eval", "--config", config, "--now", now], environment: ["FW_TEST_API_KEY": apiKey])
        #expect(eval.status == 1, "\(eval.stdout)")
        #expect(eval.stdout.contains("HTTP 400"), "\(eval.stdout)")
        let record = try #require(server.saved(".json").first)
        let headers = (try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])?["headers"]
            as? [String: String] ?? [:]
        #expect(headers["Authorization"] == "Bearer " + token)
        #expect(headers["X-Api-Key"] == apiKey && headers["X-Team"] == "quant")
        let alerts = try factorwatch(["alerts", "--config", config])
        // The database as sqlite3 sees it, not as factorwatch reads it back.
        let dump = try runProgram(["sqlite3", scratch.path + "/state/fw.db", ".dump"])
        #expect(dump.status == 0 && dump.stdout.contains("HTTP 400"), "\(dump.stderr)")
        for (name, text) in [("eval", eval.stdout + eval.stderr), ("alerts", alerts.stdout), ("database", dump.stdout)] {
            #expect(!text.contains(token) && !text.contains(apiKey), "\(name) shows a secret: \(text)")
        }
        let inline = scratch.write("channels/hook.yaml", """
            type: webhook
            url: http://127.0.0.1:\(server.port)/hook
            headers: { Authorization: { value: "Bearer \(token)" } }
            """)
        let check = try factorwatch(["check", "--config", config])
        #expect(check.status == 2 && check.stdout.contains("\(inline):3:"), "\(check.stdout)")
        #expect(check.stdout.contains("do not write the value in the file") && !check.stdout.contains(token))
    }
}
