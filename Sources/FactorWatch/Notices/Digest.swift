#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why an alert is in a notification.
public enum NoticeReason: String, Sendable, Codable, Equatable {
    /// The alert started firing.
    case firing
    /// Still firing and the route's `repeat` has passed.
    case repeated = "repeat"
    /// Still firing at a different severity.
    case severityChanged = "severity_changed"
    /// Still firing when the silence that held it back ended.
    case silenceEnded = "silence_ended"
    /// No longer firing.
    case resolved
}

/// One alert as a notification carries it.
public struct AlertNotice: Sendable, Codable, Equatable {
    public var rule: String
    public var severity: Severity
    public var reason: NoticeReason
    public var labels: Labels
    public var value: Double
    public var summary: String
    public var description: String
    public var runbook: String
    public var startsAt: Date
    public var endsAt: Date?
    /// The rule's other annotations, rendered (optional so that queued digests stored before it still decode).
    public var annotations: [String: String]?
    /// The escalation level this notice is sent at (1 for the first `escalate:` level); nil for the route's own
    /// channels.
    public var escalation: Int?
    /// Who acknowledged the alert, when, and why (`acknowledged by ops at …: comment`), if someone did.
    public var acknowledged: String?

    public init(rule: String, severity: Severity, reason: NoticeReason, labels: Labels, value: Double,
                summary: String, description: String = "", runbook: String = "", startsAt: Date, endsAt: Date? = nil,
                annotations: [String: String]? = nil) {
        self.rule = rule
        self.severity = severity
        self.reason = reason
        self.labels = labels
        self.value = value
        self.summary = summary
        self.description = description
        self.runbook = runbook
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.annotations = annotations
    }

    public var isResolved: Bool { reason == .resolved }
}

/// Every alert one evaluation notifies through one channel: firing ones first, most severe first.
public struct Digest: Sendable, Codable, Equatable {
    public var channel: String
    public var host: String
    public var createdAt: Date
    /// The configured zone's name, so messages show local times.
    public var zone: String
    public var alerts: [AlertNotice]

    public init(channel: String, host: String, createdAt: Date, zone: String, alerts: [AlertNotice]) {
        self.channel = channel
        self.host = host
        self.createdAt = createdAt
        self.zone = zone
        self.alerts = alerts.sorted(by: Digest.order)
    }

    public var firing: [AlertNotice] { alerts.filter { !$0.isResolved } }
    public var resolved: [AlertNotice] { alerts.filter(\.isResolved) }
    public var worstSeverity: Severity? { firing.map(\.severity).max() }

    static func order(_ a: AlertNotice, _ b: AlertNotice) -> Bool {
        if a.isResolved != b.isResolved { return !a.isResolved }
        if a.severity != b.severity { return a.severity > b.severity }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.labels < b.labels
    }
}
