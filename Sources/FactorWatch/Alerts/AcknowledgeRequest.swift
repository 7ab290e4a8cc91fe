#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `factorwatch ack` as typed: one alert by its fingerprint, or every firing alert of a rule whose labels match.
public struct AcknowledgeRequest: Sendable {
    /// A request `ack` refuses, worded for the person who typed it.
    public typealias Problem = SilenceRequest.Problem

    /// A fingerprint as `alerts` shows it (a unique prefix will do).
    public var alert: String?
    public var rule: String?
    public var matchers: [String]
    /// An ISO 8601 time or a duration from now; nil: until it resolves or changes severity.
    public var until: String?
    public var comment: String
    public var author: String

    public init(alert: String?, rule: String?, matchers: [String], until: String?, comment: String, author: String) {
        self.alert = alert
        self.rule = rule
        self.matchers = matchers
        self.until = until
        self.comment = comment
        self.author = author
    }

    /// One acknowledgement per firing alert the request names, or why there is none.
    public func acknowledgements(of alerts: [AlertKey: AlertRecord], now: Date, zone: TimeZoneRules)
        throws(Problem) -> [Acknowledgement] {
        var end: Date?
        if let until {
            if let seconds = parseDuration(until), seconds > 0 {
                end = now.addingTimeInterval(seconds)
            } else if let time = Timestamp.parse(until, in: zone), time > now {
                end = time
            } else {
                throw Problem("--until: cannot read \"\(until)\" as a future time (ISO 8601) or a duration (4h)")
            }
        }
        let firing = alerts.values.filter { $0.phase == .firing }.sorted { $0.key < $1.key }
        let chosen = try select(from: firing)
        return chosen.map { record in
            Acknowledgement(key: record.key, severity: record.severity, firedAt: record.firedAt ?? record.activeSince,
                            until: end, comment: comment, author: author, createdAt: now)
        }
    }

    private func select(from firing: [AlertRecord]) throws(Problem) -> [AlertRecord] {
        if let alert {
            guard rule == nil, matchers.isEmpty else {
                throw Problem("give an alert's fingerprint or --rule with --match, not both")
            }
            let hits = firing.filter { $0.key.fingerprint.hasPrefix(alert.lowercased()) }
            guard hits.count <= 1 else {
                throw Problem("\"\(alert)\" names \(hits.count) firing alerts; give more of the fingerprint")
            }
            guard let hit = hits.first else {
                throw Problem("no firing alert has the fingerprint \"\(alert)\"; factorwatch alerts lists them")
            }
            return [hit]
        }
        guard let rule else { throw Problem("give an alert's fingerprint (as factorwatch alerts shows it) or --rule") }
        var parsed: [SilenceMatcher] = []
        for text in matchers {
            guard let matcher = SilenceMatcher(parsing: text) else {
                throw Problem("--match: cannot read \"\(text)\"; use name=value, name!=value, name=~regex or name!~regex")
            }
            parsed.append(matcher)
        }
        let hits = firing.filter { record in
            record.key.rule == rule && parsed.allSatisfy { $0.matches(record.key.labels) }
        }
        guard !hits.isEmpty else {
            throw Problem("no firing alert of \(rule) matches; factorwatch alerts lists the firing ones")
        }
        return hits
    }
}
