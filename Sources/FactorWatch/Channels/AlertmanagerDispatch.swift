#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension NotificationPolicy {
    /// The decision for a channel that resends every evaluation (Alertmanager): every firing alert, every time;
    /// a resolution once, whatever the rule's `resolve` says (Alertmanager must hear the end, or it keeps the alert
    /// until its validity runs out). A local silence holds the alert back unless the channel mirrors silences, in
    /// which case Alertmanager's copy of the silence mutes it there.
    /// An acknowledgement does not hold it back: Alertmanager would let the alert expire, as if resolved.
    public static func everyEvaluation(_ record: AlertRecord, lastNotice: NotificationLogEntry?, mute: MuteDecision,
                                       mirrorsSilences: Bool) -> NotifyDecision {
        switch record.phase {
        case .pending:
            return .quiet
        case .firing:
            if case .inhibited(let source) = mute { return .inhibited(by: source) }
            if let silence = mute.silence, !mirrorsSilences { return .silenced(silence) }
            guard let last = lastNotice, !last.resolved else { return .notify(.firing) }
            return .notify(last.severity != record.severity ? .severityChanged : .repeated)
        case .resolved:
            guard let last = lastNotice, !last.resolved else { return .quiet }
            return .notify(.resolved)
        }
    }

    /// The decision for `record` through `channel`: the routes' de-duplication, or `everyEvaluation` for a channel
    /// that resends every evaluation.
    static func decide(_ record: AlertRecord, through channel: (any Channel)?, lastNotice: NotificationLogEntry?,
                       repeatInterval: Double, notifyResolved: Bool, mute: MuteDecision,
                       acknowledgement: Acknowledgement?, at now: Date) -> NotifyDecision {
        guard let channel, channel.resendsEveryEvaluation else {
            return decide(record, lastNotice: lastNotice, repeatInterval: repeatInterval,
                          notifyResolved: notifyResolved, mute: mute, acknowledgement: acknowledgement, at: now)
        }
        // Maintenance windows are not mirrored: they always hold the alerts back.
        let mirrors = (channel as? AlertmanagerChannel)?.settings.mirrorSilences == true
            && mute.silence?.createdBy != MaintenanceWindow.author
        return everyEvaluation(record, lastNotice: lastNotice, mute: mute, mirrorsSilences: mirrors)
    }
}

extension Dispatcher {
    /// The due outbox entries in the order to attempt them, each with the older queued entries it stands for.
    /// For a channel that resends every evaluation only its newest due entry is attempted: it already carries every
    /// alert still firing, and older entries add only the resolutions it does not mention. Posting an old entry
    /// after a newer one would bring a resolved alert back to life in Alertmanager.
    func deliveryPlan(at now: Date) throws -> [(entry: OutboxEntry, covers: [Int64])] {
        let due = try store.dueOutbox(at: now)
        var newest: [String: Int64] = [:]
        for entry in due where configuration.channels[entry.channel]?.resendsEveryEvaluation == true {
            newest[entry.channel] = max(newest[entry.channel] ?? entry.id, entry.id)
        }
        var plan: [(entry: OutboxEntry, covers: [Int64])] = []
        for entry in due {
            guard let latest = newest[entry.channel] else {
                plan.append((entry, []))
                continue
            }
            guard entry.id == latest else { continue }
            let older = try store.queuedOutbox(channel: entry.channel, before: entry.id)
            var merged = entry
            merged.digest = Self.folding(older.map(\.digest), into: entry.digest)
            plan.append((merged, older.map(\.id)))
        }
        return plan
    }

    /// `digest` plus the resolutions in `older` digests of alerts `digest` does not carry.
    static func folding(_ older: [Digest], into digest: Digest) -> Digest {
        var seen = Set(digest.alerts.map { AlertKey(rule: $0.rule, labels: $0.labels) })
        var alerts = digest.alerts
        for alert in older.reversed().flatMap({ $0.alerts.reversed() }) {
            let key = AlertKey(rule: alert.rule, labels: alert.labels)
            guard !seen.contains(key) else { continue }
            seen.insert(key)
            if alert.isResolved { alerts.append(alert) }
        }
        return Digest(channel: digest.channel, host: digest.host, createdAt: digest.createdAt, zone: digest.zone,
                      alerts: alerts)
    }
}
