#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A silence as `silence add` is asked for it, before it is checked: the rule, the matchers as typed (`--match`
/// and amtool's positional form), when it starts and ends.
public struct SilenceRequest: Sendable {
    public var rule: String?
    /// `name=value`, `name!=value`, `name=~regex`, `name!~regex`; a first one without an operator names the alert,
    /// as in amtool (`silence add FactorDataStale dir=~".*by_date"`).
    public var matchers: [String]
    /// An ISO 8601 time, or a duration from now (`2h`).
    public var until: String?
    /// How long from its start (`2h`, `1d`), as amtool's `--duration`.
    public var duration: String?
    public var from: String?
    public var comment: String
    public var author: String

    public init(rule: String?, matchers: [String], until: String?, duration: String?, from: String?,
                comment: String, author: String) {
        self.rule = rule
        self.matchers = matchers
        self.until = until
        self.duration = duration
        self.from = from
        self.comment = comment
        self.author = author
    }

    /// A request `silence add` refuses, worded for the person who typed it.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The silence asked for, with warnings about what it will not match; or the problem with the request.
    public func silence(now: Date, configuration: Configuration) throws(Problem) -> (Silence, warnings: [String]) {
        let zone = configuration.zone
        var start = now
        if let from {
            guard let parsed = Timestamp.parse(from, in: zone) else {
                throw Problem("--from: cannot read \"\(from)\"; use ISO 8601 (2026-11-25T09:00)")
            }
            start = parsed
        }
        let end = try self.end(start: start, now: now, zone: zone)
        guard end > start else {
            throw Problem("--until must be after the start (\(Timestamp.format(start, in: zone)))")
        }
        var rule = self.rule
        var parsed: [SilenceMatcher] = []
        for (index, text) in matchers.enumerated() {
            if index == 0, rule == nil, !text.isEmpty, !text.contains(where: { "=!~".contains($0) }) {
                rule = text
                continue
            }
            guard let matcher = SilenceMatcher(parsing: text) else {
                throw Problem("--match: cannot read \"\(text)\"; use name=value, name!=value, name=~regex or name!~regex")
            }
            if matcher.name == "alertname", matcher.kind == .equal, rule == nil {
                rule = matcher.value
            } else {
                parsed.append(matcher)
            }
        }
        guard rule != nil || !parsed.isEmpty else {
            throw Problem("give --rule or at least one --match; a silence of everything is not allowed")
        }
        var warnings: [String] = []
        if let rule, !configuration.rules.contains(where: { $0.name == rule }) {
            warnings.append("warning: no rule is named \"\(rule)\"; the silence will match nothing until one is")
        }
        let silence = Silence(rule: rule, matchers: parsed, startsAt: start, endsAt: end, comment: comment,
                              createdBy: author, createdAt: now)
        return (silence, warnings)
    }

    private func end(start: Date, now: Date, zone: TimeZoneRules) throws(Problem) -> Date {
        switch (until, duration) {
        case (nil, nil):
            throw Problem("give --until (a time or a duration from now) or --duration (from the start)")
        case (.some, .some):
            throw Problem("give --until or --duration, not both")
        case (let until?, nil):
            if let seconds = parseDuration(until), seconds > 0 { return now.addingTimeInterval(seconds) }
            guard let end = Timestamp.parse(until, in: zone) else {
                throw Problem("--until: cannot read \"\(until)\"; use ISO 8601 (2026-11-25T09:00) or a duration (2h)")
            }
            return end
        case (nil, let duration?):
            guard let seconds = parseDuration(duration), seconds > 0 else {
                throw Problem("--duration: cannot read \"\(duration)\"; use a duration such as 2h, 90m or 1d")
            }
            return start.addingTimeInterval(seconds)
        }
    }
}
