#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON forms of SPEC §6. Keys keep the documented order; absent values are `null`, never left out.
extension EvaluationReport {
    public func json() -> String {
        encodeJSON(EvaluationJSON(report: self))
    }
}

/// `observe --format json`: the observations and the collectors that failed.
public struct ObservationsJSON: Encodable {
    public init(observations: [Observation], errors: [CollectorErrorReport]) {
        self.observations = observations.map(ObservationJSON.init)
        self.errors = errors
    }

    public func json() -> String { encodeJSON(self) }

    public var observations: [ObservationJSON]
    public var errors: [CollectorErrorReport]
}

/// `{"metric": …, "labels": {…}, "value": …}`.
public struct ObservationJSON: Encodable {
    var observation: Observation
    public init(_ observation: Observation) { self.observation = observation }

    enum Keys: String, CodingKey { case metric, labels, value }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(observation.metric, forKey: .metric)
        try c.encode(observation.labels.dictionary, forKey: .labels)
        try c.encode(JSONNumber(observation.value), forKey: .value)
    }
}

struct EvaluationJSON: Encodable {
    var report: EvaluationReport
    /// `eval --explain`: the rules' explanations, as the last key.
    var explanations: [RuleExplanation]? = nil

    enum Keys: String, CodingKey { case evaluatedAt = "evaluated_at", dryRun = "dry_run", observations, alerts,
                                       notifications, errors, ruleErrors = "rule_errors",
                                       explain, unmatchedSilences = "unmatched_silences" }
    enum AlertKeys: String, CodingKey { case rule, severity, state, labels, value, summary, channels, notify,
                                            suppressedBy = "suppressed_by", reason, activeSince = "active_since" }
    enum NotificationKeys: String, CodingKey { case channel, subject, body, alerts, status, error, retry }

    /// What every JSON form of an alert starts with (eval's and replay's): rule, severity, state, labels, value,
    /// summary.
    static func encodeBasics(of alert: AlertReport, into a: inout KeyedEncodingContainer<AlertKeys>) throws {
        try a.encode(alert.rule, forKey: .rule)
        try a.encode(alert.severity.rawValue, forKey: .severity)
        try a.encode(alert.state.rawValue, forKey: .state)
        try a.encode(alert.labels.dictionary, forKey: .labels)
        try a.encode(JSONNumber(alert.value), forKey: .value)
        try a.encode(alert.summary, forKey: .summary)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(Timestamp.format(report.evaluatedAt, in: report.zone), forKey: .evaluatedAt)
        try c.encode(report.dryRun, forKey: .dryRun)
        try c.encode(report.observations.map(ObservationJSON.init), forKey: .observations)
        var alerts = c.nestedUnkeyedContainer(forKey: .alerts)
        for alert in report.alerts {
            var a = alerts.nestedContainer(keyedBy: AlertKeys.self)
            try Self.encodeBasics(of: alert, into: &a)
            try a.encode(alert.channels, forKey: .channels)
            try a.encode(alert.notify, forKey: .notify)
            if let by = alert.suppressedBy { try a.encode(by, forKey: .suppressedBy) } else {
                try a.encodeNil(forKey: .suppressedBy)
            }
            try a.encode(alert.reason, forKey: .reason)
            try a.encode(Timestamp.format(alert.activeSince, in: report.zone), forKey: .activeSince)
        }
        var notifications = c.nestedUnkeyedContainer(forKey: .notifications)
        for notification in report.notifications {
            var n = notifications.nestedContainer(keyedBy: NotificationKeys.self)
            try n.encode(notification.channel, forKey: .channel)
            try n.encode(notification.subject, forKey: .subject)
            try n.encode(notification.body, forKey: .body)
            try n.encode(notification.alerts, forKey: .alerts)
            try n.encode(notification.status.rawValue, forKey: .status)
            if let error = notification.error { try n.encode(error, forKey: .error) } else {
                try n.encodeNil(forKey: .error)
            }
            try n.encode(notification.retry, forKey: .retry)
        }
        try c.encode(report.errors, forKey: .errors)
        try c.encode(report.ruleErrors, forKey: .ruleErrors)
        if let explanations { try c.encode(explanations.map(ExplanationJSON.init), forKey: .explain) }
        try c.encode(SilenceListing(report.unmatchedSilences, zone: report.zone, now: report.evaluatedAt).entries,
                     forKey: .unmatchedSilences)
    }
}
