import Foundation
import Testing

@testable import FactorWatch

/// The outbox with a real SMTP server: nothing is lost while it is down, and nothing is sent twice.
@Suite(.enabled(if: aiosmtpdAvailable || runningInCI, "python3 cannot import aiosmtpd: outbox delivery tests skipped"))
struct OutboxDeliveryTests {
    @Test func serverDownQueuesThenServerUpDeliversExactlyOnce() throws {
        let port = ChannelTestServer.closedPort()
        var h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical,
                                     summary: "磁盘 {{ $labels.path }} 使用 {{ $value }}%")])
        let email = SMTPChannel(name: "email", settings: SMTPSettings(
            url: "smtp://127.0.0.1:\(port)", tls: .none, from: "fw@example.com", to: ["ops@example.com"],
            connectTimeout: 2, timeout: 5), zone: shanghai)
        h.configuration.channels["email"] = email

        let down = try h.eval("2026-11-24T02:45", [disk(95)])
        #expect(down.exitCode == 1)
        #expect(down.notifications.first { $0.channel == "email" }?.status == .queued)
        #expect(down.notifications.first { $0.channel == "email" }?.error?.contains("connect") == true)

        let mail = TemporaryDirectory("smtp")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: mail.path, arguments: ["--port", "\(port)"])
        defer { server.stop() }
        // Before the backoff has passed nothing is attempted; after it, the queued digest goes out once.
        _ = try h.eval("2026-11-24T02:45:30", [disk(95)])
        #expect(server.rawMessages().isEmpty)
        let up = try h.eval("2026-11-24T02:50", [disk(95)])
        #expect(up.exitCode == 0)
        #expect(up.notifications.contains { $0.channel == "email" && $0.status == .sent && $0.retry })
        #expect(server.rawMessages().count == 1)
        _ = try h.eval("2026-11-24T02:55", [disk(95)])
        #expect(server.rawMessages().count == 1)
        let record = try #require(server.records().first)
        #expect("\(record)".contains("磁盘 /data 使用 95%"))
    }

    @Test func deliveryGivesUpAfterMaxAttemptsAndSaysSo() throws {
        var h = Harness(rules: [rule("DiskAlmostFull", "disk_used_percent > 90", .critical)])
        h.configuration.delivery = DeliveryPolicy(maxAttempts: 2, initialBackoff: 60, maxBackoff: 60)
        h.email.failing = true
        _ = try h.eval("2026-11-24T02:45", [disk(95)])
        let second = try h.eval("2026-11-24T02:50", [disk(95)])
        #expect(second.notifications.contains { $0.channel == "email" && $0.status == .dead })
        let store = try StateStore(path: h.configuration.statePath, readOnly: true)
        let view = try AlertsView(store: store, zone: shanghai, history: false)
        #expect(view.text().contains("DEAD notification"))
        // A dead notification is not retried.
        h.email.failing = false
        _ = try h.eval("2026-11-24T03:00", [disk(95)])
        #expect(h.email.delivered.isEmpty)
    }
}
