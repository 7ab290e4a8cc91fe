import Foundation
import Testing

/// No green exit with an undelivered page: queued (even waiting for its backoff) or dead in the last day is exit 1
/// and a NotificationUndelivered alert to the other channels; `retryable: false` is dead at once.
@Suite struct ReliabilityDeliveryTests {
    /// The demo configuration with a webhook channel `hook` at `url` routed beside the log for every severity.
    static func configuration(_ scratch: Scratch, url: String) throws -> String {
        scratch.write("channels/hook.yaml", "type: webhook\nurl: \(url)\ntimeout: 5s\n")
        let config = scratch.demoConfiguration(extra: "delivery: { max_attempts: 5, backoff: 1h }")
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "channels: [alerts_log]", with: "channels: [hook, alerts_log]")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func aQueuedNoticeKeepsEvalAtExit1AndTellsTheOtherChannels() throws {
        let scratch = Scratch()
        let deaf = DeafPort()
        let config = try Self.configuration(scratch, url: "http://127.0.0.1:\(deaf.port)/hook")
        let first = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(first.status == 1, "\(first.stdout)")
        #expect(first.stdout.contains("QUEUED for retry"))
        // Waiting for its one-hour backoff: nothing is attempted, and still exit 1.
        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(second.status == 1, "\(second.stdout)")
        #expect(second.stdout.contains("notifications undelivered"), "\(second.stdout)")
        #expect(second.stdout.contains("FIRING critical NotificationUndelivered{channel=\"hook\"}"), "\(second.stdout)")
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(log.contains("\"rule\":\"NotificationUndelivered\""), "the log channel is told")
        // The clock steps back an hour: the queued notice is still undelivered.
        let back = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T01:50:00+08:00"])
        #expect(back.status == 1, "\(back.stdout)")
    }

    @Test func aNotRetryableFailureIsDeadAtOnceWithItsReason() throws {
        let scratch = Scratch()
        let routes = scratch.write("routes.json", #"{"/gone": {"status": 404, "body": "no such hook"}}"#)
        let server = try LoopbackServer("http_server.py", folder: scratch.path + "/requests",
                                        arguments: ["--routes", routes])
        let config = try Self.configuration(scratch, url: "http://127.0.0.1:\(server.port)/gone")
        let first = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(first.status == 1)
        #expect(first.stdout.contains("DEAD (gave up)"), "\(first.stdout)")
        #expect(first.stdout.contains("not retryable"), "\(first.stdout)")
        let alerts = try factorwatch(["alerts", "--config", config])
        #expect(alerts.stdout.contains("DEAD notification"), "\(alerts.stdout)")
        #expect(alerts.stdout.contains("1 attempts"), "\(alerts.stdout)")
        // Dead within the last day: exit 1 and the other channels hear of it; never retried.
        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(second.status == 1)
        #expect(second.stdout.contains("NotificationUndelivered{channel=\"hook\"}"), "\(second.stdout)")
        #expect(server.saved(".json").count == 1, "a not-retryable failure is not retried")
    }
}
