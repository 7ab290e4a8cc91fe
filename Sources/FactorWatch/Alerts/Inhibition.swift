#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `inhibit:` — while a source alert fires, matching target alerts are recorded but not sent: the stale-data page
/// does not come with twenty quality pages about an old file. As Alertmanager's inhibit rules: `equal` names
/// labels the source and target must share (both missing counts as equal), and an alert never inhibits itself.
public struct InhibitRule: Sendable, Equatable {
    /// Matchers on the source alert's labels and `alertname`.
    public var source: [SilenceMatcher]
    /// Matchers on the target alert's labels and `alertname`.
    public var target: [SilenceMatcher]
    public var equal: [String]
    public var location: SourceLocation?

    public init(source: [SilenceMatcher], target: [SilenceMatcher], equal: [String] = [],
                location: SourceLocation? = nil) {
        self.source = source
        self.target = target
        self.equal = equal
        self.location = location
    }

    /// The first of `firing` (keys of firing alerts) that inhibits `key` under this rule, if any.
    public func inhibitor(of key: AlertKey, among firing: [AlertKey]) -> AlertKey? {
        let labels = key.labels.setting("alertname", key.rule)
        guard target.allSatisfy({ $0.matches(labels) }) else { return nil }
        return firing.first { candidate in
            guard candidate != key else { return false }
            let other = candidate.labels.setting("alertname", candidate.rule)
            return source.allSatisfy { $0.matches(other) } && equal.allSatisfy { labels[$0] == other[$0] }
        }
    }
}

extension SilenceMatcher {
    /// A matcher as configuration writes it, `name: value`: the value is a whole-match regular expression (so a
    /// plain name matches itself), or starts with `=`, `!=`, `=~` or `!~` to say the comparison. Nil when the
    /// regular expression does not compile.
    public init?(name: String, configured value: String) {
        for kind in [Kind.regex, .notRegex, .notEqual, .equal] where value.hasPrefix(kind.rawValue) {
            self.init(parsing: name + value)
            return
        }
        self.init(parsing: name + "=~" + value)
    }
}
