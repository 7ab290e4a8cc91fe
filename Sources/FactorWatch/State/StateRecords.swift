#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ByteRegex

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

    public init(key: AlertKey, phase: AlertPhase, severity: Severity, value: Double, activeSince: Date,
                firedAt: Date? = nil, resolvedAt: Date? = nil, lastEvaluatedAt: Date, summary: String = "",
                description: String = "") {
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
    }
}

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

/// A digest waiting to be delivered, delivered, or given up on.
public struct OutboxEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case queued, sent, dead }

    public var id: Int64
    public var digest: Digest
    public var createdAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date
    public var status: Status
    public var lastError: String?
    public var sentAt: Date?

    public var channel: String { digest.channel }
}

/// A label matcher of a silence: `name=value`, `name!=value`, `name=~regex`, `name!~regex`.
public struct SilenceMatcher: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~" }

    public var name: String
    public var kind: Kind
    public var value: String

    public init(name: String, kind: Kind, value: String) {
        self.name = name
        self.kind = kind
        self.value = value
    }

    /// Parses `name=value` and the other three forms.
    public init?(parsing text: String) {
        for kind in [Kind.regex, .notRegex, .notEqual, .equal] {
            if let range = text.firstRange(of: kind.rawValue) {
                let name = String(text[..<range.lowerBound]).trimmed()
                guard !name.isEmpty else { return nil }
                var value = String(text[range.upperBound...]).trimmed()
                if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                    value = String(value.dropFirst().dropLast())
                }
                if kind == .regex || kind == .notRegex { guard (try? ByteRegex(value)) != nil else { return nil } }
                self.init(name: name, kind: kind, value: value)
                return
            }
        }
        return nil
    }

    public func matches(_ labels: Labels) -> Bool {
        let actual = labels[name] ?? ""
        switch kind {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .regex, .notRegex:
            guard let regex = try? ByteRegex(value, wholeMatch: true) else { return false }
            let hit = regex.matches(actual)
            return kind == .regex ? hit : !hit
        }
    }

    public var description: String { "\(name)\(kind.rawValue)\"\(value)\"" }
}

/// Suppresses notifications for matching alerts between two instants.
public struct Silence: Sendable, Equatable {
    public var id: Int64
    /// The rule (alert name) it applies to; nil for any rule.
    public var rule: String?
    public var matchers: [SilenceMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var comment: String
    public var createdBy: String
    public var createdAt: Date

    public init(id: Int64 = 0, rule: String?, matchers: [SilenceMatcher], startsAt: Date, endsAt: Date,
                comment: String, createdBy: String, createdAt: Date) {
        self.id = id
        self.rule = rule
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public func isActive(at now: Date) -> Bool { startsAt <= now && now < endsAt }

    public func matches(_ key: AlertKey) -> Bool {
        if let rule, rule != key.rule { return false }
        return matchers.allSatisfy { $0.matches(key.labels.setting("alertname", key.rule)) }
    }
}
