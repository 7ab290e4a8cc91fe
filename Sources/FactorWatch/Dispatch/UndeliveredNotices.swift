#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Notifications that have not reached their channel: still queued (even while waiting for a backoff, even when
/// the clock stepped back), or dead within the last day. While any exists `eval` exits 1, and
/// `NotificationUndelivered{channel=…}` tells the other channels.
struct UndeliveredNotices {
    static let alertName = "NotificationUndelivered"
    static let deadWindow: TimeInterval = 86_400

    let entries: [OutboxEntry]

    init(store: OutboxStore, now: Date) throws {
        entries = try store.undelivered().filter { entry in
            entry.status == .queued || entry.nextAttemptAt > now.addingTimeInterval(-UndeliveredNotices.deadWindow)
        }
    }

    /// One observation per channel with the number of its undelivered notifications.
    var observations: [Observation] {
        Dictionary(grouping: entries, by: \.channel).sorted { $0.key < $1.key }.map { channel, list in
            Observation("notification_undelivered", ["channel": channel], list.count)
        }
    }

    /// Pages at the worst severity among the undelivered notices; never sent to the channel it reports on.
    func alertRule() -> Rule {
        let worst = entries.flatMap { $0.digest.alerts.map(\.severity) }.max() ?? .high
        return Rule(name: UndeliveredNotices.alertName,
                    expression: try! RuleExpression("notification_undelivered > 0"), severity: worst,
                    summary: try? Template("{{ $value }} notifications to {{ $labels.channel }} are undelivered"),
                    description: try? Template("factorwatch alerts lists them with the channel's error."))
    }

    /// The channels an alert of `rule` goes to: a notice about a channel's failures goes to the others.
    static func channels(_ channels: [String], rule: Rule, labels: Labels) -> [String] {
        guard rule.name == alertName, let failing = labels["channel"] else { return channels }
        return channels.filter { $0 != failing }
    }
}
