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

    func decide(_ step: AlertStep) -> [ChannelDecision] {
        targets(for: step).map { target in
            ChannelDecision(channel: target.channel, decision: NotificationPolicy.decide(
                step.record, through: configuration.channels[target.channel],
                lastNotice: log[step.key, target.channel], repeatInterval: target.repeatInterval,
                notifyResolved: step.rule.notifyResolved, mute: step.mute, acknowledgement: step.acknowledgement,
                at: now), level: target.level)
        }
    }

    /// What the notification log remembers of the notices decided for `step`.
    func logEntries(_ step: AlertStep) -> [NotificationLogEntry] {
        step.decisions.compactMap { decided in
            guard case .notify(let why) = decided.decision else { return nil }
            return NotificationLogEntry(key: step.key, channel: decided.channel, notifiedAt: now,
                                        severity: step.record.severity, resolved: why == .resolved)
        }
    }
}

/// Stage 4, digests: gathers every notice due through a channel into that channel's one digest.
struct DigestStage {
    let configuration: Configuration
    let now: Date
    /// Every stored acknowledgement, so that a resolution can say who had taken the alert.
    var acknowledgements: [Acknowledgement] = []

    func digests(_ steps: [AlertStep]) -> [Digest] {
        var notices: [String: [AlertNotice]] = [:]
        for step in steps {
            for decided in step.decisions {
                guard case .notify(let why) = decided.decision else { continue }
                notices[decided.channel, default: []].append(notice(step, reason: why, level: decided.level))
            }
        }
        return notices.keys.sorted().map { channel in
            Digest(channel: channel, host: configuration.host, createdAt: now, zone: configuration.zone.identifier,
                   alerts: notices[channel]!)
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
