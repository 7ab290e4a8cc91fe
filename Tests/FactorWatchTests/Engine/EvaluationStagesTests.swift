import Foundation
import Testing
@testable import FactorWatch

/// The stages' typed decisions, against what the README's notification semantics say by hand: a firing alert is
/// told once, again after `repeat`, at once on a severity change or when it resolves; a silence holds back all of
/// it; a pending alert is never told.
@Suite struct EvaluationStagesTests {
    let key = AlertKey(rule: "DiskAlmostFull", labels: Labels(["path": "/data"]))
    let t0 = at("2026-11-24T02:45:00+08:00")

    func record(_ phase: AlertPhase, _ severity: Severity = .high) -> AlertRecord {
        AlertRecord(key: key, phase: phase, severity: severity, value: 95, activeSince: t0, firedAt: t0,
                    resolvedAt: phase == .resolved ? t0.addingTimeInterval(600) : nil, lastEvaluatedAt: t0)
    }

    func told(_ minutesAgo: Double, _ severity: Severity = .high, resolved: Bool = false, now: Date)
        -> NotificationLogEntry {
        NotificationLogEntry(key: key, channel: "email", notifiedAt: now.addingTimeInterval(-minutesAgo * 60),
                             severity: severity, resolved: resolved)
    }

    var silence: Silence {
        Silence(id: 3, rule: "DiskAlmostFull", matchers: [], startsAt: t0, endsAt: at("2026-11-24T09:00:00+08:00"),
                comment: "moving files", createdBy: "ops", createdAt: t0)
    }

    func decide(_ record: AlertRecord, last: NotificationLogEntry?, silence: Silence? = nil, at now: Date)
        -> NotifyDecision {
        NotificationPolicy.decide(record, lastNotice: last, repeatInterval: 3_600, notifyResolved: true,
                                  mute: silence.map(MuteDecision.silenced) ?? .none, at: now)
    }

    @Test func notifyDecisionsFollowTheRepeatRule() {
        let now = t0.addingTimeInterval(1_800)
        #expect(decide(record(.pending), last: nil, at: now) == .quiet)
        #expect(decide(record(.firing), last: nil, at: now) == .notify(.firing))
        // Told 20 minutes ago with a 1 h repeat: held until 40 minutes from now.
        #expect(decide(record(.firing), last: told(20, now: now), at: now)
                == .deduplicated(until: now.addingTimeInterval(40 * 60)))
        #expect(decide(record(.firing), last: told(60, now: now), at: now) == .notify(.repeated))
        #expect(decide(record(.firing, .critical), last: told(5, now: now), at: now) == .notify(.severityChanged))
        #expect(decide(record(.resolved), last: told(5, now: now), at: now) == .notify(.resolved))
        #expect(decide(record(.resolved), last: told(5, resolved: true, now: now), at: now) == .quiet)
        // A resolution nobody heard the firing of is not news.
        #expect(decide(record(.resolved), last: nil, at: now) == .quiet)
        #expect(decide(record(.firing), last: nil, silence: silence, at: now) == .silenced(silence))
        #expect(decide(record(.resolved), last: told(5, now: now), silence: silence, at: now) == .silenced(silence))
    }

    @Test func eachDecisionCarriesItsOwnWording() {
        let until = at("2026-11-24T03:45:00+08:00")
        #expect(NotifyDecision.deduplicated(until: until).wording(in: shanghai)
                == "already notified; repeats after 2026-11-24T03:45:00+08:00")
        #expect(NotifyDecision.silenced(silence).wording(in: shanghai)
                == "silenced by #3 until 2026-11-24T09:00:00+08:00")
        var window = silence
        window.createdBy = "maintenance"
        window.comment = "maintenance window backup"
        #expect(NotifyDecision.silenced(window).wording(in: shanghai)
                == "in maintenance window backup until 2026-11-24T09:00:00+08:00")
        #expect(NotifyDecision.notify(.severityChanged).wording(in: shanghai) == "severity_changed")
        #expect(NotifyDecision.quiet.wording(in: shanghai) == "")
        #expect(NotifyDecision.silenced(silence).suppression == .silence)
        #expect(NotifyDecision.deduplicated(until: until).suppression == .dedup)
        #expect(NotifyDecision.notify(.firing).suppression == nil)
    }

    @Test func theVerdictCombinesTheChannelsDecisions() {
        let until = at("2026-11-24T03:45:00+08:00")
        let dedup = ChannelDecision(channel: "email", decision: .deduplicated(until: until))
        let silenced = ChannelDecision(channel: "sms", decision: .silenced(silence))
        let told = ChannelDecision(channel: "alertmanager", decision: .notify(.repeated))

        // A silence outweighs de-duplication in what held the alert back.
        let held = AlertVerdict(decisions: [dedup, silenced])
        #expect(!held.notifies && held.suppression == .silence)
        #expect(held.wording(in: shanghai) == "silenced by #3 until 2026-11-24T09:00:00+08:00")
        // Told anywhere: nothing suppressed it.
        let mixed = AlertVerdict(decisions: [dedup, told])
        #expect(mixed.notifies && mixed.suppression == nil && mixed.wording(in: shanghai) == "repeat")

        // The state's note outweighs the channels: pending says when it fires; unobserved says why, unless told.
        let pending = AlertVerdict(decisions: [ChannelDecision(channel: "email", decision: .quiet)],
                                   note: .pending(since: t0, firesAt: t0.addingTimeInterval(900)))
        #expect(pending.wording(in: shanghai) == "pending since 2026-11-24T02:45:00+08:00; "
                + "fires at 2026-11-24T03:00:00+08:00 if it still holds")
        let blind = AlertVerdict(decisions: [dedup], note: .unobserved("collector disk failed"))
        #expect(blind.wording(in: shanghai) == "not observed (collector disk failed); state kept")
        #expect(blind.suppression == .dedup)
        #expect(AlertVerdict(decisions: [told], note: .unobserved("x")).wording(in: shanghai) == "repeat")
        #expect(AlertVerdict(decisions: []).wording(in: shanghai) == "" && AlertVerdict(decisions: []).suppression == nil)
    }

    @Test func theMuteStageTakesTheFirstMatchingSilence() throws {
        let rule = Rule(name: "DiskAlmostFull", expression: try RuleExpression("disk_used_percent > 90"),
                        severity: .high)
        let step = AlertStep(rule: rule, record: record(.firing), previous: nil, transition: .fired, unobserved: nil)
        var other = silence
        other.id = 4
        other.matchers = [SilenceMatcher(name: "path", kind: .equal, value: "/home")]
        var regex = silence
        regex.id = 5
        regex.rule = nil
        regex.matchers = [SilenceMatcher(name: "path", kind: .regex, value: "/da.*")]
        #expect(MuteStage(silences: [other, regex, silence]).decide(step) == .silenced(regex))
        #expect(MuteStage(silences: [other]).decide(step) == .none)
        #expect(MuteStage(silences: []).decide(step).silence == nil)
    }
}
