#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What was last told about one alert through one channel: the basis of de-duplication.
public struct NotificationLogEntry: Sendable, Equatable {
    public var key: AlertKey
    public var channel: String
    public var notifiedAt: Date
    public var severity: Severity
    /// True when the last notice was the resolution.
    public var resolved: Bool

    public init(key: AlertKey, channel: String, notifiedAt: Date, severity: Severity, resolved: Bool) {
        self.key = key
        self.channel = channel
        self.notifiedAt = notifiedAt
        self.severity = severity
        self.resolved = resolved
    }
}

/// The notification log of one evaluation: the last notice per alert and channel.
public struct NotificationLog: Sendable {
    private var entries: [Slot: NotificationLogEntry] = [:]

    private struct Slot: Hashable {
        var rule: String
        var labels: String
        var channel: String
    }

    public init(_ entries: [NotificationLogEntry] = []) {
        for entry in entries { insert(entry) }
    }

    public mutating func insert(_ entry: NotificationLogEntry) {
        insert(entry, labelsKey: entry.key.labels.key)
    }

    mutating func insert(_ entry: NotificationLogEntry, labelsKey: String) {
        entries[Slot(rule: entry.key.rule, labels: labelsKey, channel: entry.channel)] = entry
    }

    /// The last notice about `key` through `channel`, if one was ever sent.
    public subscript(key: AlertKey, channel: String) -> NotificationLogEntry? {
        entries[Slot(rule: key.rule, labels: key.labels.key, channel: channel)]
    }

    public var count: Int { entries.count }
}

/// Where the notify stage remembers what it told (Alertmanager's nflog): the basis of de-duplication.
public protocol NotificationLogStore: AnyObject {
    func notificationLog() throws -> NotificationLog
    func record(_ entry: NotificationLogEntry) throws
}
