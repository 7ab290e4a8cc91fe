#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Stage 3, notify: for each channel of an alert's route, the de-duplication and repeat policy against the
/// notification log decides whether it is told now (`NotificationPolicy`).
struct NotifyStage {
    let configuration: Configuration
    let log: NotificationLog
    let now: Date

    /// The channels an alert goes to: its rule's or its severity's route, less the channel it reports on.
    func channels(for step: AlertStep) -> [String] {
        UndeliveredNotices.channels(configuration.channels(for: step.rule, severity: step.record.severity),
                                    rule: step.rule, labels: step.key.labels)
    }

    func decide(_ step: AlertStep) -> [ChannelDecision] {
        let repeatInterval = configuration.repeatInterval(for: step.rule, severity: step.record.severity)
        return channels(for: step).map { channel in
            ChannelDecision(channel: channel, decision: NotificationPolicy.decide(
                step.record, through: configuration.channels[channel], lastNotice: log[step.key, channel],
                repeatInterval: repeatInterval, notifyResolved: step.rule.notifyResolved,
                silence: step.mute.silence, at: now))
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

    func digests(_ steps: [AlertStep]) -> [Digest] {
        var notices: [String: [AlertNotice]] = [:]
        for step in steps {
            for decided in step.decisions {
                guard case .notify(let why) = decided.decision else { continue }
                notices[decided.channel, default: []].append(notice(step, reason: why))
            }
        }
        return notices.keys.sorted().map { channel in
            Digest(channel: channel, host: configuration.host, createdAt: now, zone: configuration.zone.identifier,
                   alerts: notices[channel]!)
        }
    }

    private func notice(_ step: AlertStep, reason: NoticeReason) -> AlertNotice {
        let record = step.record, rule = step.rule
        return AlertNotice(rule: rule.name, severity: record.severity, reason: reason, labels: record.key.labels,
                           value: record.value, summary: record.summary, description: record.description,
                           runbook: rule.renderedRunbook(labels: record.key.labels, value: record.value),
                           startsAt: record.firedAt ?? record.activeSince,
                           endsAt: record.phase == .resolved ? record.resolvedAt : nil,
                           annotations: rule.renderAnnotations(value: record.value, labels: record.key.labels))
    }
}
