#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Stage 3a, acknowledge: finds the acknowledgement that still holds for an alert's current firing.
struct AcknowledgeStage {
    let acknowledgements: [Acknowledgement]
    let now: Date

    func decide(_ step: AlertStep) -> Acknowledgement? {
        acknowledgements.last { $0.covers(step.record, at: now) }
    }
}

/// Stage 3b, notify: for each channel of an alert's route and of the escalation levels its firing has reached,
/// the de-duplication and repeat policy against the notification log decides whether it is told now
/// (`NotificationPolicy`). An acknowledgement stops repeats and escalation alike.
struct NotifyStage {
    let configuration: Configuration
    let log: NotificationLog
    let now: Date

    /// One channel an alert goes to now: its escalation level and the repeat of the route that names it.
    struct Target {
        var channel: String
        var level: Int
        var repeatInterval: Double
    }

    /// The channels an alert goes to: those of the routes it takes (`Configuration.routes`, level 0), then of
    /// each `escalate:` level whose `after` has passed since it fired; a channel once, at its first place; less
    /// the channel it reports on.
    func targets(for step: AlertStep) -> [Target] {
        let record = step.record
        var targets: [Target] = []
        for route in configuration.routes(for: step.rule, labels: step.key.labels, severity: record.severity) {
            var levels = [(0, route.channels)]
            if record.phase != .pending, let fired = record.firedAt {
                for (index, level) in route.escalation.enumerated() where now.timeIntervalSince(fired) >= level.after {
                    levels.append((index + 1, level.channels))
                }
            }
            for (level, channels) in levels {
                for name in channels where !targets.contains(where: { $0.channel == name }) {
                    targets.append(Target(channel: name, level: level, repeatInterval: route.repeatInterval))
                }
            }
        }
        let kept = UndeliveredNotices.channels(targets.map(\.channel), rule: step.rule, labels: step.key.labels)
        return targets.filter { kept.contains($0.channel) }
    }

    /// A channel's decision; a still-firing alert whose silence just ended is told at once, whatever its repeat.
    func decide(_ step: AlertStep) -> [ChannelDecision] {
        targets(for: step).map { target in
            var decision = NotificationPolicy.decide(
                step.record, through: configuration.channels[target.channel],
                lastNotice: log[step.key, target.channel], repeatInterval: target.repeatInterval,
                notifyResolved: step.rule.notifyResolved, mute: step.mute, acknowledgement: step.acknowledgement,
                at: now)
            if case .deduplicated = decision, step.silenceEnded != nil { decision = .notify(.silenceEnded) }
            return ChannelDecision(channel: target.channel, decision: decision, level: target.level)
        }
    }

    /// What the notification log remembers of the notices decided for `step`: a held notice counts as told,
    /// so it is held once, not again at every evaluation until it goes.
    func logEntries(_ step: AlertStep) -> [NotificationLogEntry] {
        step.decisions.compactMap { decided in
            guard let why = decided.decision.noticeReason else { return nil }
            return NotificationLogEntry(key: step.key, channel: decided.channel, notifiedAt: now,
                                        severity: step.record.severity, resolved: why == .resolved)
        }
    }
}

/// Stage 3c, schedule: a notice due through a route with `deliver:` or `quiet:` is held until its time.
/// Critical alerts are never held, nor notices to a channel that resends every evaluation (Alertmanager).
struct ScheduleStage {
    let configuration: Configuration
    let now: Date

    func decide(_ step: AlertStep) -> [ChannelDecision] {
        guard step.record.severity != .critical,
              let schedule = configuration.route(for: step.record.severity).schedule,
              let until = schedule.release(after: now, zone: configuration.zone, calendar: configuration.calendar)
        else { return step.decisions }
        return step.decisions.map { decided in
            guard case .notify(let why) = decided.decision,
                  configuration.channels[decided.channel]?.resendsEveryEvaluation != true else { return decided }
            var held = decided
            held.decision = .held(why, until: until)
            return held
        }
    }
}

/// Stage 4, digests: gathers every notice due through a channel, and the held notices whose time has come, into
/// that channel's one digest; an alert appears once, in its latest notice.
struct DigestStage {
    let configuration: Configuration
    let now: Date
    /// Every stored acknowledgement, so that a resolution can say who had taken the alert.
    var acknowledgements: [Acknowledgement] = []

    func digests(_ steps: [AlertStep], released: [HeldNotice] = []) -> [Digest] {
        var notices: [String: [AlertKey: AlertNotice]] = [:]
        for held in released { notices[held.channel, default: [:]][held.key] = held.notice }
        for step in steps {
            for decided in step.decisions {
                guard case .notify(let why) = decided.decision else { continue }
                notices[decided.channel, default: [:]][step.key] = notice(step, reason: why, level: decided.level)
            }
        }
        return notices.keys.sorted().map { channel in
            Digest(channel: channel, host: configuration.host, createdAt: now, zone: configuration.zone.identifier,
                   alerts: Array(notices[channel]!.values))
        }
    }

    /// The notices this evaluation holds back, to be stored until their time.
    func held(_ steps: [AlertStep]) -> [HeldNotice] {
        steps.flatMap { step in
            step.decisions.compactMap { decided -> HeldNotice? in
                guard case .held(let why, let until) = decided.decision else { return nil }
                return HeldNotice(channel: decided.channel, notice: notice(step, reason: why, level: decided.level),
                                  dueAt: until)
            }
        }
    }

    private func notice(_ step: AlertStep, reason: NoticeReason, level: Int) -> AlertNotice {
        let record = step.record, rule = step.rule
        var notice = AlertNotice(rule: rule.name, severity: record.severity, reason: reason, labels: record.key.labels,
                           value: record.value, summary: record.summary, description: record.description,
                           runbook: rule.renderedRunbook(labels: record.key.labels, value: record.value),
                           startsAt: record.firedAt ?? record.activeSince,
                           endsAt: record.phase == .resolved ? record.resolvedAt : nil,
                           annotations: rule.renderAnnotations(value: record.value, labels: record.key.labels))
        if level > 0, reason != .resolved { notice.escalation = level }
        if reason == .resolved {
            // A resolution tells who had taken the alert.
            notice.acknowledged = acknowledgements.last { ack in
                ack.key == step.key && step.record.firedAt.map { abs($0.timeIntervalSince(ack.firedAt)) < 0.001 } == true
            }?.wording(in: configuration.zone)
        }
        return notice
    }
}
