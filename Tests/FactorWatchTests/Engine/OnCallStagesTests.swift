import Foundation
import Testing
@testable import FactorWatch

/// The on-call decisions by hand: an inhibit rule's source must fire, match and share the `equal` labels; an
/// acknowledgement holds only for the firing and severity it was given for; escalation levels join by age.
@Suite struct OnCallStagesTests {
    let t0 = at("2026-11-24T02:45:00+08:00")

    func key(_ rule: String, _ labels: [String: String] = [:]) -> AlertKey { AlertKey(rule: rule, labels: Labels(labels)) }

    func firing(_ key: AlertKey, _ severity: Severity = .critical, firedAt: Date? = nil) -> AlertRecord {
        AlertRecord(key: key, phase: .firing, severity: severity, value: 2, activeSince: firedAt ?? t0,
                    firedAt: firedAt ?? t0, lastEvaluatedAt: t0)
    }

    @Test func inhibitionNeedsAFiringMatchingSourceWithEqualLabels() throws {
        let rule = InhibitRule(source: [try #require(SilenceMatcher(name: "alertname", configured: "FactorDataStale"))],
                               target: [try #require(SilenceMatcher(name: "alertname", configured: "Factor.*"))],
                               equal: ["dir"])
        let stale = key("FactorDataStale", ["dir": "a"])
        #expect(rule.inhibitor(of: key("FactorZeroVariance", ["dir": "a", "factor": "growth"]), among: [stale]) == stale)
        // Another directory's stale data says nothing about this one.
        #expect(rule.inhibitor(of: key("FactorZeroVariance", ["dir": "b"]), among: [stale]) == nil)
        // Missing on one side only is not equal; missing on both is.
        #expect(rule.inhibitor(of: key("FactorZeroVariance"), among: [stale]) == nil)
        let bare = InhibitRule(source: rule.source, target: rule.target, equal: ["dir"])
        #expect(bare.inhibitor(of: key("FactorZeroVariance"), among: [key("FactorDataStale")]) == key("FactorDataStale"))
        // It never inhibits itself, and a non-target is untouched.
        #expect(rule.inhibitor(of: stale, among: [stale]) == nil)
        #expect(rule.inhibitor(of: key("DiskAlmostFull", ["dir": "a"]), among: [stale]) == nil)
        // A plain value is a whole-match expression: "Factor" alone does not match "FactorZeroVariance".
        let exact = InhibitRule(source: rule.source, target: [try #require(SilenceMatcher(name: "alertname",
                                                                                         configured: "Factor"))])
        #expect(exact.inhibitor(of: key("FactorZeroVariance"), among: [stale]) == nil)
        #expect(SilenceMatcher(name: "severity", configured: "!=low")?.matches(Labels(["severity": "high"])) == true)
        #expect(SilenceMatcher(name: "x", configured: "(") == nil)
    }

    @Test func anAcknowledgementHoldsForItsFiringAndSeverityOnly() {
        let stale = key("FactorDataStale", ["dir": "a"])
        let ack = Acknowledgement(id: 1, key: stale, severity: .critical, firedAt: t0, comment: "on it",
                                  author: "ops", createdAt: t0.addingTimeInterval(600))
        let now = t0.addingTimeInterval(3 * 3_600)
        let told = NotificationLogEntry(key: stale, channel: "email", notifiedAt: t0, severity: .critical,
                                        resolved: false)
        func decide(_ record: AlertRecord) -> NotifyDecision {
            NotificationPolicy.decide(record, lastNotice: told, repeatInterval: 7_200, notifyResolved: true,
                                      acknowledgement: ack, at: now)
        }
        // Three hours in, with a 2 h repeat: held by the ack instead of repeated.
        #expect(decide(firing(stale)) == .acknowledged(ack))
        #expect(decide(firing(stale, .high)) == .notify(.severityChanged))
        // Fired again later: a new firing, the old ack does not cover it (and the log says it was told before).
        #expect(decide(firing(stale, firedAt: t0.addingTimeInterval(3_600))) == .notify(.repeated))
        var resolved = firing(stale)
        resolved.phase = .resolved
        #expect(decide(resolved) == .notify(.resolved))
        var brief = ack
        brief.until = t0.addingTimeInterval(3_600)
        #expect(!brief.covers(firing(stale), at: now) && brief.covers(firing(stale), at: t0.addingTimeInterval(1_800)))
        #expect(ack.wording(in: shanghai) == "acknowledged by ops at 2026-11-24T02:55:00+08:00: on it")
        #expect(NotifyDecision.acknowledged(ack).suppression == .ack)
        #expect(AlertVerdict(decisions: [ChannelDecision(channel: "email", decision: .acknowledged(ack)),
                                         ChannelDecision(channel: "sms", decision: .deduplicated(until: now))])
                    .suppression == .ack)
    }

    @Test func escalationLevelsJoinAsTheFiringAges() throws {
        var configuration = Configuration(file: "x", zone: shanghai, statePath: ":memory:", host: "h")
        var route = Route(channels: ["email"], repeatInterval: 7_200)
        route.escalation = [EscalationLevel(after: 3_600, channels: ["sms", "email"]),
                            EscalationLevel(after: 4 * 3_600, channels: ["sms_cto"])]
        configuration.routes = [.critical: route]
        let rule = Rule(name: "FactorDataStale", expression: try RuleExpression("x > 0"), severity: .critical)
        let step = AlertStep(rule: rule, record: firing(key("FactorDataStale")), previous: nil, transition: .none,
                             unobserved: nil)
        func channels(after hours: Double) -> [String] {
            NotifyStage(configuration: configuration, log: NotificationLog(), now: t0.addingTimeInterval(hours * 3_600))
                .targets(for: step).map { "\($0.channel)@\($0.level)" }
        }
        #expect(channels(after: 0.99) == ["email@0"])
        #expect(channels(after: 1) == ["email@0", "sms@1"])
        #expect(channels(after: 4) == ["email@0", "sms@1", "sms_cto@2"])
        var pending = step
        pending.record.phase = .pending
        pending.record.firedAt = nil
        #expect(NotifyStage(configuration: configuration, log: NotificationLog(), now: t0.addingTimeInterval(86_400))
                    .targets(for: pending).map(\.channel) == ["email"])
    }
}

/// Label routes by hand: ordered, first match unless `continue`, severity routes as the fallback.
@Suite struct LabelRouteTests {
    func configuration() throws -> Configuration {
        var configuration = Configuration(file: "x", zone: shanghai, statePath: ":memory:", host: "h",
                                          routes: [.high: Route(channels: ["email"], repeatInterval: 43_200)])
        configuration.labelRoutes = [
            LabelRoute(matchers: [try #require(SilenceMatcher(name: "team", configured: "data"))],
                       channels: ["data_email"], repeatInterval: 3_600, continues: true),
            LabelRoute(matchers: [try #require(SilenceMatcher(name: "alertname", configured: "Disk.*"))],
                       channels: ["ops_sms"]),
            LabelRoute(matchers: [try #require(SilenceMatcher(name: "severity", configured: "!=high"))],
                       channels: ["log"]),
        ]
        return configuration
    }

    func rule(_ name: String, labels: Labels = Labels()) throws -> Rule {
        Rule(name: name, expression: try RuleExpression("x > 0"), severity: .high, labels: labels)
    }

    @Test func routesAreWalkedInOrder() throws {
        let configuration = try configuration()
        func channels(_ name: String, _ labels: [String: String], _ severity: Severity = .high) throws -> [[String]] {
            configuration.routes(for: try rule(name), labels: Labels(labels), severity: severity).map(\.channels)
        }
        #expect(try channels("DiskAlmostFull", ["team": "data"]) == [["data_email"], ["ops_sms"]])
        #expect(try channels("FactorZeroVariance", ["team": "data"]) == [["data_email"]])
        #expect(try channels("DiskAlmostFull", [:]) == [["ops_sms"]])
        #expect(try channels("JobFailed", [:], .critical) == [["log"]])
        #expect(try channels("JobFailed", [:]) == [["email"]])
        let routes = configuration.routes(for: try rule("X"), labels: Labels(["team": "data"]), severity: .high)
        #expect(routes.map(\.repeatInterval) == [3_600])
    }

    @Test func checkSaysWhichRouteARuleTakes() throws {
        let configuration = try configuration()
        #expect(configuration.routing(of: try rule("DiskAlmostFull"))
                == ["if team=~\"data\": by_label 1 → data_email (continue)", "by_label 2 → ops_sms"])
        #expect(configuration.routing(of: try rule("JobFailed", labels: Labels(["team": "data"])))
                == ["by_label 1 → data_email (continue)"])
        #expect(configuration.routing(of: try rule("JobFailed"))
                == ["if team=~\"data\": by_label 1 → data_email (continue)",
                    "if no label route matched: high route → email"])
    }
}

/// Delivery schedules by hand, in Asia/Shanghai (no daylight saving time) with weekdays as trading days.
@Suite struct DeliveryScheduleTests {
    func release(_ schedule: DeliverySchedule, _ time: String) -> String? {
        schedule.release(after: at(time), zone: shanghai, calendar: .weekdays).map { Timestamp.format($0, in: shanghai) }
    }

    @Test func aMorningDigestGoesAtItsTime() throws {
        let morning = DeliverySchedule(at: try #require(ClockTime("08:30")))
        #expect(release(morning, "2026-11-24T02:10:00+08:00") == "2026-11-24T08:30:00+08:00")
        #expect(release(morning, "2026-11-24T08:30:00+08:00") == nil)
        #expect(release(morning, "2026-11-24T08:31:00+08:00") == "2026-11-25T08:30:00+08:00")
        var trading = morning
        trading.tradingDaysOnly = true
        // Friday after the digest, Saturday: Monday's 08:30.
        #expect(release(trading, "2026-11-27T09:00:00+08:00") == "2026-11-30T08:30:00+08:00")
        #expect(release(trading, "2026-11-28T02:00:00+08:00") == "2026-11-30T08:30:00+08:00")
    }

    @Test func quietHoursHoldUntilTheyEnd() throws {
        let night = DeliverySchedule(quietFrom: try #require(ClockTime("22:00")), quietUntil: ClockTime("07:00"))
        #expect(release(night, "2026-11-24T23:00:00+08:00") == "2026-11-25T07:00:00+08:00")
        #expect(release(night, "2026-11-25T06:59:00+08:00") == "2026-11-25T07:00:00+08:00")
        #expect(release(night, "2026-11-25T07:00:00+08:00") == nil)
        #expect(release(night, "2026-11-25T21:59:00+08:00") == nil)
        let lunch = DeliverySchedule(quietFrom: try #require(ClockTime("12:00")), quietUntil: ClockTime("13:30"))
        #expect(release(lunch, "2026-11-25T12:10:00+08:00") == "2026-11-25T13:30:00+08:00")
        var weekdays = night
        weekdays.tradingDaysOnly = true
        #expect(release(weekdays, "2026-11-28T10:00:00+08:00") == "2026-11-30T07:00:00+08:00")
        let weekend = DeliverySchedule(tradingDaysOnly: true)
        #expect(release(weekend, "2026-11-28T10:00:00+08:00") == "2026-11-30T00:00:00+08:00")
        #expect(ClockTime("8:30") == nil && ClockTime("24:00") == nil && ClockTime("07:60") == nil)
    }

    @Test func aDigestCarriesEachAlertOnceInItsLatestNotice() {
        let key = AlertKey(rule: "FactorCoverageLow", labels: Labels())
        func notice(_ reason: NoticeReason) -> AlertNotice {
            AlertNotice(rule: key.rule, severity: .medium, reason: reason, labels: key.labels, value: 3950,
                        summary: "", startsAt: at("2026-11-24T02:10:00+08:00"))
        }
        let due = at("2026-11-24T08:30:00+08:00")
        let configuration = Configuration(file: "x", zone: shanghai, statePath: ":memory:", host: "h")
        let digests = DigestStage(configuration: configuration, now: due).digests([], released: [
            HeldNotice(id: 1, channel: "email", notice: notice(.firing), dueAt: due),
            HeldNotice(id: 2, channel: "email", notice: notice(.resolved), dueAt: due),
        ])
        #expect(digests.map(\.channel) == ["email"])
        #expect(digests.first?.alerts.map(\.reason) == [.resolved])
    }
}
