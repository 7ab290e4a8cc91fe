import Foundation
import Testing

@testable import FactorWatch

/// A critical disk rule with every kind of annotation and an extra label, routed to the channel `am` only.
func alertmanagerHarness(_ settings: AlertmanagerSettings) -> Harness {
    var diskRule = rule("DiskAlmostFull", "disk_used_percent > 90", .critical,
                        summary: "磁盘 {{ $labels.path }} 使用 {{ $value }}%")
    diskRule.description = try! Template("Disk {{ $labels.path }} is nearly full")
    diskRule.runbook = "https://wiki.example.com/disk"
    diskRule.annotations = ["dashboard": try! Template("https://grafana.example.com/d/disk?path={{ $labels.path }}")]
    diskRule.labels = ["team": "quant"]
    var harness = Harness(rules: [diskRule], routes: [.critical: Route(channels: ["am"], repeatInterval: 7_200)])
    harness.configuration.channels = ["am": AlertmanagerChannel(name: "am", settings: settings)]
    return harness
}

func disk(_ path: String, _ value: Double) -> Observation {
    Observation("disk_used_percent", ["path": path], value)
}

/// One evaluation at the real time, as cron runs it.
func evalNow(_ harness: Harness, _ observations: [Observation]) throws -> EvaluationReport {
    harness.collector.set(observations)
    return try Evaluator(configuration: harness.configuration).run(now: Date())
}

@Suite(.enabled(if: toolTestsEnabled(alertmanagerBinary), "prometheus-alertmanager is not installed"),
       .serialized)
struct AlertmanagerChannelTests {
    @Test func aFiringAlertStaysActiveAcrossEvaluationsAndResolvesAtOnce() throws {
        let dir = TemporaryDirectory("am-single")
        let am = try AlertmanagerProcess(folder: dir.path + "/am")
        defer { am.stop() }
        let settings = AlertmanagerSettings(urls: [am.url], validity: 6, generatorURL: "http://quant-01:8080/rules")
        let harness = alertmanagerHarness(settings)

        // The control: posted once, never again; Alertmanager must drop it once its validity has passed.
        let control = Digest(channel: "am", host: "test-host", createdAt: Date(), zone: "UTC", alerts: [
            AlertNotice(rule: "PostedOnce", severity: .low, reason: .firing, labels: [:], value: 1, summary: "once",
                        startsAt: Date()),
        ])
        #expect(AlertmanagerChannel(name: "am", settings: settings).deliver(control) == .sent)

        let firstEval = Date()
        var evaluations = 0
        while Date().timeIntervalSince(firstEval) < 12, evaluations < 12 {
            let report = try evalNow(harness, [disk("/data", 95)])
            evaluations += 1
            #expect(report.notifications.map(\.status) == [.sent])
            #expect(am.waitForAlerts { alert(named: "DiskAlmostFull", in: $0) != nil })
            Thread.sleep(forTimeInterval: 1)
            // Just before the next evaluation, still active.
            #expect(alert(named: "DiskAlmostFull", in: try am.alerts()) != nil)
        }
        // Longer than resolve_timeout (5s) and than the validity (6s): still active, the control long gone.
        #expect(Date().timeIntervalSince(firstEval) >= 12)
        let alerts = try am.alerts()
        #expect(alert(named: "PostedOnce", in: alerts) == nil)
        let shown = try #require(alert(named: "DiskAlmostFull", in: alerts))
        #expect(shown["labels"] as? [String: String] == [
            "alertname": "DiskAlmostFull", "severity": "critical", "host": "test-host", "path": "/data",
            "team": "quant",
        ])
        #expect(shown["annotations"] as? [String: String] == [
            "summary": "磁盘 /data 使用 95%", "description": "Disk /data is nearly full",
            "runbook_url": "https://wiki.example.com/disk",
            "dashboard": "https://grafana.example.com/d/disk?path=/data",
        ])
        #expect(shown["generatorURL"] as? String == "http://quant-01:8080/rules")
        #expect((shown["status"] as? [String: Any])?["state"] as? String == "active")
        // startsAt is when it fired, not when it was last sent.
        let startsAt = try #require(shown["startsAt"] as? String)
        #expect(startsAt.hasPrefix(Timestamp.format(firstEval, in: .utc).prefix(19)))

        // The condition clears: the next evaluation ends it in Alertmanager.
        let cleared = try evalNow(harness, [disk("/data", 50)])
        #expect(cleared.notifications.map(\.status) == [.sent])
        #expect(am.waitForAlerts(seconds: 2) { alert(named: "DiskAlmostFull", in: $0) == nil })
    }

    @Test func withOnePeerDownTheOtherStillReceivesAndTheFailureIsQueued() throws {
        let dir = TemporaryDirectory("am-cluster")
        let first = try AlertmanagerProcess(folder: dir.path + "/a", clustered: true)
        defer { first.stop() }
        let second = try AlertmanagerProcess(folder: dir.path + "/b", clustered: true, peer: first.clusterPort)
        defer { second.stop() }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, first.peerCount() < 2 || second.peerCount() < 2 { Thread.sleep(forTimeInterval: 0.2) }
        #expect(first.peerCount() == 2 && second.peerCount() == 2, "the two peers formed a gossip cluster")

        let harness = alertmanagerHarness(AlertmanagerSettings(urls: [first.url, second.url], validity: 120))
        let both = try evalNow(harness, [disk("/data", 95)])
        #expect(both.notifications.map(\.status) == [.sent])
        for peer in [first, second] {
            #expect(peer.waitForAlerts { alert(named: "DiskAlmostFull", in: $0) != nil })
        }

        first.stop()
        let down = try evalNow(harness, [disk("/data", 95), disk("/backup", 97)])
        #expect(down.exitCode == 1)
        let notice = try #require(down.notifications.first)
        #expect(notice.status == .queued)
        #expect(notice.error?.contains("1 of 2 peers took it") == true)
        #expect(notice.error?.contains("127.0.0.1:\(first.port)") == true)
        #expect(second.waitForAlerts { alerts in
            Set(alerts.compactMap { ($0["labels"] as? [String: String])?["path"] }) == ["/data", "/backup"]
        })

        // One series clears while the peer is still down: the survivor hears of it at once.
        let cleared = try evalNow(harness, [disk("/data", 50), disk("/backup", 97)])
        #expect(cleared.notifications.first?.status == .queued)
        #expect(second.waitForAlerts { alerts in
            alerts.compactMap { ($0["labels"] as? [String: String])?["path"] } == ["/backup"]
        })
    }
    @Test func localSilencesAreMirroredAndExpiredInAlertmanager() throws {
        let dir = TemporaryDirectory("am-silence")
        let am = try AlertmanagerProcess(folder: dir.path + "/am")
        defer { am.stop() }
        let harness = alertmanagerHarness(AlertmanagerSettings(urls: [am.url], validity: 120, mirrorSilences: true))
        _ = try evalNow(harness, [disk("/data", 95)])
        #expect(am.waitForAlerts { alert(named: "DiskAlmostFull", in: $0) != nil })

        let store = try StateStore(path: harness.configuration.statePath)
        let id = try store.add(Silence(rule: "DiskAlmostFull", matchers: [SilenceMatcher(parsing: "path=/data")!],
                                       startsAt: Date(), endsAt: Date().addingTimeInterval(3_600),
                                       comment: "disk cleanup", createdBy: "ops", createdAt: Date()))
        let silenced = try evalNow(harness, [disk("/data", 95)])
        #expect(silenced.notifications.map(\.status) == [.sent])
        let remote = try am.silences().filter { ($0["status"] as? [String: String])?["state"] == "active" }
        #expect(remote.count == 1)
        #expect(remote.first?["comment"] as? String == "[factorwatch@test-host #\(id)] disk cleanup")
        #expect(remote.first?["createdBy"] as? String == "ops")
        #expect(am.waitForAlerts { alerts in
            (alert(named: "DiskAlmostFull", in: alerts)?["status"] as? [String: Any])?["state"] as? String
                == "suppressed"
        })
        // A second evaluation does not create it twice.
        _ = try evalNow(harness, [disk("/data", 95)])
        #expect(try am.silences().filter { ($0["status"] as? [String: String])?["state"] == "active" }.count == 1)

        #expect(try store.expireSilence(id, at: Date()))
        _ = try evalNow(harness, [disk("/data", 95)])
        #expect(try am.silences().allSatisfy { ($0["status"] as? [String: String])?["state"] == "expired" })
        #expect(am.waitForAlerts { alerts in
            (alert(named: "DiskAlmostFull", in: alerts)?["status"] as? [String: Any])?["state"] as? String
                == "active"
        })
    }
}

@Suite struct AlertmanagerConfigTests {
    @Test func channelFileDecodesEveryPeerAndDefaultsTheValidity() throws {
        let fixture = ConfigFixture(channels: [
            "log": "type: log\npath: \"-\"\n",
            "am": """
                type: alertmanager
                urls: [http://am1:9093, "http://am2:9093/"]
                interval: 2m
                generator_url: http://quant-01/rules
                """,
        ])
        let channel = try #require(try fixture.load().configuration.channels["am"] as? AlertmanagerChannel)
        #expect(channel.settings.urls == ["http://am1:9093", "http://am2:9093/"])
        #expect(channel.settings.validity == 360)
        #expect(channel.settings.generatorURL == "http://quant-01/rules")
        #expect(AlertmanagerPayload.endpoint("http://am2:9093/", "alerts") == "http://am2:9093/api/v2/alerts")
    }

    @Test func aValidityNotLongerThanTheIntervalIsRefused() throws {
        let fixture = ConfigFixture(channels: [
            "log": "type: log\npath: \"-\"\n", "am": "type: alertmanager\nurl: http://am1:9093\nvalidity: 5m\n",
        ])
        // A broken channel fails alone: the configuration loads, the channel reports why it cannot send.
        let broken = try #require(try fixture.load().configuration.channels["am"] as? BrokenChannel)
        #expect(broken.problems.contains { $0.line == 3 && $0.message.contains("validity must be longer") })
    }

    @Test func theOldWebhookPresetIsReadAsTheChannelWithAWarning() throws {
        let fixture = ConfigFixture(channels: [
            "log": "type: log\npath: \"-\"\n",
            "am": "type: webhook\npreset: alertmanager\nurl: http://am1:9093/\nmax_length: 10\n",
        ])
        let loaded = try fixture.load()
        let channel = try #require(loaded.configuration.channels["am"] as? AlertmanagerChannel)
        #expect(channel.settings.urls == ["http://am1:9093/"])
        #expect(loaded.warnings.contains { $0.message.contains("type: alertmanager") && $0.message.contains("max_length") })
    }
}
