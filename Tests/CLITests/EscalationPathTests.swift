import Foundation
import Testing

/// The guide's escalation path through a real SMTP server (aiosmtpd), across evaluations pinned with `--now`:
/// email at once, the development team's SMS after 1 h, the CTO's SMS after 4 h, and nothing more once someone
/// acknowledges. What arrived is read back from the server's own record of each message.
@Suite struct EscalationPathTests {
    struct Mail {
        var to: [String]
        var subject: String
        var body: String
    }

    func mails(_ server: LoopbackServer) throws -> [Mail] {
        try server.saved(".json").map { text in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return Mail(to: object["rcpt_tos"] as? [String] ?? [], subject: object["subject"] as? String ?? "",
                        body: object["text"] as? String ?? "")
        }
    }

    func configuration(_ scratch: Scratch, port: Int) -> String {
        for (name, to) in [("email", "admin@example.com"), ("sms", "13800000001@sms.example.com"),
                           ("sms_cto", "13900000009@sms.example.com")] {
            scratch.write("channels/\(name).yaml", """
                type: smtp
                url: smtp://127.0.0.1:\(port)
                tls: none
                from: factorwatch@example.com
                to: [\(to)]
                connect_timeout: 5s
                """)
        }
        let config = scratch.demoConfiguration()
        var text = try! String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "critical: { channels: [alerts_log], repeat: 2h }", with: """
            critical:
                channels: [email]
                repeat: 2h
                escalate:
                  - { after: 1h, channels: [sms] }
                  - { after: 4h, channels: [sms_cto] }
            """)
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func emailThenSMSAfterAnHourThenTheCTOAfterFourHoursUntilAcknowledged() throws {
        let scratch = Scratch()
        let server = try LoopbackServer("smtp_server.py", folder: scratch.path + "/mail")
        let config = configuration(scratch, port: server.port)
        func eval(_ time: String) throws -> [Mail] {
            let before = try mails(server).count
            let result = try factorwatch(["eval", "--config", config, "--now", time])
            #expect(!result.stdout.contains("queued") && !result.stdout.contains("dead"), "\(result.stdout)")
            return Array(try mails(server).dropFirst(before))
        }

        let first = try eval("2026-11-24T02:45:00+08:00")
        #expect(first.map(\.to) == [["admin@example.com"]])
        #expect(first.first?.subject.hasPrefix("[CRITICAL] 1 firing") == true)
        #expect(first.first?.body.contains("[FIRING] critical FactorDataStale") == true)

        #expect(try eval("2026-11-24T03:15:00+08:00").isEmpty)

        let hour = try eval("2026-11-24T03:45:00+08:00")
        #expect(hour.map(\.to) == [["13800000001@sms.example.com"]])
        #expect(hour.first?.body.contains("[FIRING, ESCALATION LEVEL 1] critical FactorDataStale") == true)

        let fourHours = try eval("2026-11-24T06:45:00+08:00")
        #expect(Set(fourHours.flatMap(\.to))
                == ["admin@example.com", "13800000001@sms.example.com", "13900000009@sms.example.com"])
        let cto = fourHours.first { $0.to == ["13900000009@sms.example.com"] }
        #expect(cto?.body.contains("[FIRING, ESCALATION LEVEL 2] critical FactorDataStale") == true)
        let repeated = fourHours.first { $0.to == ["admin@example.com"] }
        #expect(repeated?.body.contains("[STILL FIRING] critical FactorDataStale") == true)

        let acked = try factorwatch(["ack", "--config", config, "--rule", "FactorDataStale", "--comment",
                                     "rerunning the download", "--author", "admin"])
        #expect(acked.status == 0, "\(acked.stderr)")
        #expect(acked.stdout.contains("acknowledged FactorDataStale"))
        let alerts = try factorwatch(["alerts", "--config", config])
        #expect(alerts.stdout.contains("acknowledged by admin at "))
        #expect(alerts.stdout.contains(": rerunning the download"))

        // Past every repeat and level: nobody is told again while the ack holds.
        #expect(try eval("2026-11-24T09:00:00+08:00").isEmpty)
        #expect(try eval("2026-11-24T13:00:00+08:00").isEmpty)
        let report = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T13:05:00+08:00",
                                      "--dry-run", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let stale = (object["alerts"] as? [[String: Any]])?.first { $0["rule"] as? String == "FactorDataStale" }
        #expect(stale?["suppressed_by"] as? String == "ack")
        #expect((stale?["reason"] as? String)?.hasPrefix("acknowledged by admin at ") == true)
    }

    @Test func anAckBeforeTheFirstLevelKeepsTheSMSQuiet() throws {
        let scratch = Scratch()
        let server = try LoopbackServer("smtp_server.py", folder: scratch.path + "/mail")
        let config = configuration(scratch, port: server.port)
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(try mails(server).count == 1)
        let alerts = try factorwatch(["alerts", "--config", config, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(alerts.stdout.utf8)) as? [String: Any])
        let stale = try #require((object["alerts"] as? [[String: Any]])?.first {
            $0["rule"] as? String == "FactorDataStale"
        })
        let fingerprint = try #require(stale["fingerprint"] as? String)
        #expect(try factorwatch(["ack", "--config", config, fingerprint, "-c", "on it"]).status == 0)
        #expect(try factorwatch(["ack", "--config", config, "ffffffff"]).status == 2)
        for time in ["2026-11-24T03:45:00+08:00", "2026-11-24T06:45:00+08:00", "2026-11-24T08:50:00+08:00"] {
            _ = try factorwatch(["eval", "--config", config, "--now", time])
        }
        #expect(try mails(server).map(\.to) == [["admin@example.com"]])
    }

    @Test func checkSaysWhereEachRuleGoes() throws {
        let scratch = Scratch()
        let config = configuration(scratch, port: 1)
        let text = try factorwatch(["check", "--config", config])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("  FactorDataStale [critical]: critical route → email; escalates to sms after 1h, "
                                     + "then sms_cto after 4h"))
        let json = try factorwatch(["check", "--config", config, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let routes = try #require(object["routes"] as? [[String: Any]])
        let low = routes.first { $0["rule"] as? String == "FactorZeroVariance" }
        #expect(low?["severity"] as? String == "high")
        #expect(low?["route"] as? [String] == ["high route → alerts_log"])
    }
}
