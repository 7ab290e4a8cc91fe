#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ByteRegex

/// A label matcher of a silence: `name=value`, `name!=value`, `name=~regex`, `name!~regex`.
public struct SilenceMatcher: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case equal = "=", notEqual = "!=", regex = "=~", notRegex = "!~" }

    public var name: String
    public var kind: Kind
    public var value: String
    /// `value` compiled once (whole match) for `=~`/`!~`: matching runs for every alert of every run.
    private var compiled: ByteRegex?

    private enum CodingKeys: String, CodingKey { case name, kind, value }

    public init(name: String, kind: Kind, value: String) {
        self.name = name
        self.kind = kind
        self.value = value
        compiled = SilenceMatcher.compile(kind, value)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  kind: try container.decode(Kind.self, forKey: .kind),
                  value: try container.decode(String.self, forKey: .value))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(value, forKey: .value)
    }

    public static func == (a: SilenceMatcher, b: SilenceMatcher) -> Bool {
        a.name == b.name && a.kind == b.kind && a.value == b.value
    }

    private static func compile(_ kind: Kind, _ value: String) -> ByteRegex? {
        guard kind == .regex || kind == .notRegex else { return nil }
        return try? ByteRegex(value, wholeMatch: true)
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
                self.init(name: name, kind: kind, value: value)
                // RE2 syntax is the same whether the match is whole or anywhere: the compiled form validates.
                if (kind == .regex || kind == .notRegex) && compiled == nil { return nil }
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
            // `value` may have been changed since the matcher was made: compile again only then.
            let current = compiled?.pattern == value ? compiled : SilenceMatcher.compile(kind, value)
            guard let regex = current else { return false }
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

/// Where silences are kept: added and expired by `silence`, read by the mute stage and `status`.
public protocol SilenceStore: AnyObject {
    /// Every silence, expired ones too, by id.
    func silences() throws -> [Silence]
    /// Stores `silence` (its id is ignored); returns the id it got.
    func add(_ silence: Silence) throws -> Int64
    /// Ends a silence now. Returns false when no such silence exists.
    func expireSilence(_ id: Int64, at: Date) throws -> Bool
}
