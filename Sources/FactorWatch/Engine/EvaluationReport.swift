#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One alert instance as `eval` reports it (SPEC §6).
public struct AlertReport: Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var state: AlertPhase
    public var labels: Labels
    public var value: Double
    public var summary: String
    public var channels: [String]
    /// The stages' decisions about it.
    public var verdict: AlertVerdict
    /// The zone its wording gives times in.
    public var zone: TimeZoneRules
    public var activeSince: Date

    public var notify: Bool { verdict.notifies }
    /// `"silence"`, `"dedup"`, or nil.
    public var suppressedBy: String? { verdict.suppression?.rawValue }
    /// Why it is (not) notified, for people: "firing", "already notified; repeats after …",
    /// "silenced by #3 until …".
    public var reason: String { verdict.wording(in: zone) }
}

/// A digest this evaluation sent, queued, or (dry run) would send.
public struct NotificationReport: Sendable, Equatable {
    public enum Status: String, Sendable { case sent, queued, dead, wouldSend = "dry_run" }

    public var channel: String
    public var subject: String
    public var body: String
    public var alerts: [String]
    public var status: Status
    public var error: String?
    /// True for a digest from an earlier run that was retried now.
    public var retry: Bool
}

extension NotificationReport {
    /// A digest as `eval` reports it: rendered by its channel in `configuration` (or plainly, when the channel
    /// is gone).
    init(_ digest: Digest, via configuration: Configuration, status: Status, retry: Bool, error: String? = nil) {
        let message = configuration.channels[digest.channel]?.render(digest)
            ?? RenderedMessage(subject: DigestFormatter.subject(digest),
                               body: DigestFormatter.body(digest, zone: configuration.zone))
        self.init(channel: digest.channel, subject: message.subject, body: message.body,
                  alerts: digest.alerts.map(\.rule), status: status, error: error, retry: retry)
    }
}

/// Everything one evaluation did.
public struct EvaluationReport: Sendable {
    public var evaluatedAt: Date
    public var zone: TimeZoneRules
    public var dryRun: Bool
    public var observations: [Observation]
    public var alerts: [AlertReport]
    public var notifications: [NotificationReport]
    public var errors: [CollectorErrorReport]
    /// Rules whose expression could not be evaluated; their alerts kept their state.
    public var ruleErrors: [RuleErrorReport] = []
    /// Notifications still queued, or dead within the last day, after this evaluation.
    public var undelivered: Int = 0
    /// Silences that ended since the previous evaluation without ever matching an alert.
    public var unmatchedSilences: [Silence] = []

    /// SPEC §2: 1 when a collector failed or a notification is undelivered (queued, or dead in the last day).
    public var exitCode: Int32 {
        if !errors.isEmpty || !ruleErrors.isEmpty || undelivered > 0 { return 1 }
        if notifications.contains(where: { $0.status == .queued || $0.status == .dead }) { return 1 }
        return 0
    }

    /// Nagios codes: 0 none/low, 1 medium/high, 2 critical, 3 unknown (a collector failed and nothing worse fires).
    public var nagiosCode: Int32 {
        let worst = alerts.filter { $0.state == .firing }.map(\.severity).max()
        switch worst {
        case .critical?: return 2
        case .high?, .medium?: return 1
        default: return errors.isEmpty && ruleErrors.isEmpty ? 0 : 3
        }
    }
}

/// A rule whose expression failed in this evaluation (e.g. ambiguous vector matching), with the reason.
public struct RuleErrorReport: Sendable, Codable, Equatable {
    public var rule: String
    public var message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }
}
