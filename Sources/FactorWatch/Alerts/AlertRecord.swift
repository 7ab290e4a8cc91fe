#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where an alert is in its life. An alert with no record is inactive.
public enum AlertPhase: String, Sendable, Codable, Equatable {
    /// The condition holds but not yet for the rule's `for`.
    case pending
    /// The condition held long enough; people are told.
    case firing
    /// It fired and then stopped; kept as history until it fires again.
    case resolved
}

/// The identity of one alert instance: the rule's name plus the series' labels.
public struct AlertKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rule: String
    public var labels: Labels

    public init(rule: String, labels: Labels) {
        self.rule = rule
        self.labels = labels
    }

    public var description: String { rule + labels.description }

    public static func < (a: AlertKey, b: AlertKey) -> Bool {
        a.rule != b.rule ? a.rule < b.rule : a.labels < b.labels
    }
}

/// The remembered state of one alert instance.
public struct AlertRecord: Sendable, Equatable {
    public var key: AlertKey
    public var phase: AlertPhase
    public var severity: Severity
    public var value: Double
    /// When the condition started to hold (the start of `pending`).
    public var activeSince: Date
    public var firedAt: Date?
    public var resolvedAt: Date?
    public var lastEvaluatedAt: Date
    public var summary: String
    public var description: String
    /// While `keep_firing_for` holds a firing alert whose condition stopped: when it stopped. Nil otherwise.
    public var keepFiringSince: Date?

    public init(key: AlertKey, phase: AlertPhase, severity: Severity, value: Double, activeSince: Date,
                firedAt: Date? = nil, resolvedAt: Date? = nil, lastEvaluatedAt: Date, summary: String = "",
                description: String = "", keepFiringSince: Date? = nil) {
        self.key = key
        self.phase = phase
        self.severity = severity
        self.value = value
        self.activeSince = activeSince
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastEvaluatedAt = lastEvaluatedAt
        self.summary = summary
        self.description = description
        self.keepFiringSince = keepFiringSince
    }

    /// The same state apart from when it was last evaluated: nothing worth writing to the state database.
    public func sameState(as other: AlertRecord?) -> Bool {
        guard var other else { return false }
        other.lastEvaluatedAt = lastEvaluatedAt
        return self == other
    }
}
