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

    /// The channels an alert goes to, each with its escalation level: its rule's or its severity's route (level
    /// 0), then each `escalate:` level whose `after` has passed since it fired; less the channel it reports on.
    func channels(for step: AlertStep) -> [(channel: String, level: Int)] {
        var channels = configuration.channels(for: step.rule, severity: step.record.severity).map { ($0, 0) }
        if step.record.phase != .pending, let fired = step.record.firedAt {
            let levels = configuration.route(for: step.record.severity).escalation
            for (index, level) in levels.enumerated() where now.timeIntervalSince(fired) >= level.after {
                for name in level.channels where !channels.contains(where: { $0.0 == name }) {
                    channels.append((name, index + 1))
                }
            }
        }
        let kept = UndeliveredNotices.channels(channels.map(\.0), rule: step.rule, labels: step.key.labels)
        return channels.filter { kept.contains($0.0) }.map { (channel: $0.0, level: $0.1) }
    }

    func decide(_ step: AlertStep) -> [ChannelDecision] {
        let repeatInterval = configuration.repeatInterval(for: step.rule, severity: step.record.severity)
        return channels(for: step).map { channel, level in
            ChannelDecision(channel: channel, decision: NotificationPolicy.decide(
                step.record, through: configuration.channels[channel], lastNotice: log[step.key, channel],
                repeatInterval: repeatInterval, notifyResolved: step.rule.notifyResolved, mute: step.mute,
                acknowledgement: step.acknowledgement, at: now), level: level)
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
