#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `silence list`: the silences with their state at one instant, as text lines or JSON.
public struct SilenceListing: Sendable {
    public var silences: [Silence]
    public var zone: TimeZoneRules
    public var now: Date

    public init(_ silences: [Silence], zone: TimeZoneRules, now: Date) {
        self.silences = silences
        self.zone = zone
        self.now = now
    }

    /// `#3 active {alertname="DiskAlmostFull", path="/data"} 2026-… → 2026-… by ops: moving old files`.
    public func text() -> String {
        guard !silences.isEmpty else { return "no silences" }
        return silences.map { silence in
            let what = ([silence.rule.map { "alertname=\"\($0)\"" }].compactMap { $0 }
                        + silence.matchers.map(\.description)).joined(separator: ", ")
            return "#\(silence.id) \(state(silence)) {\(what)} \(Timestamp.format(silence.startsAt, in: zone)) → "
                + "\(Timestamp.format(silence.endsAt, in: zone)) by \(silence.createdBy): \(silence.comment)"
        }.joined(separator: "\n")
    }

    public func json() -> String { encodeJSON(entries) }

    /// The listing's JSON objects.
    var entries: [some Encodable] {
        silences.map { silence in
            Entry(id: silence.id, rule: silence.rule, matchers: silence.matchers.map(\.description),
                  startsAt: Timestamp.format(silence.startsAt, in: zone),
                  endsAt: Timestamp.format(silence.endsAt, in: zone), active: silence.isActive(at: now),
                  state: state(silence), comment: silence.comment, createdBy: silence.createdBy)
        }
    }

    private func state(_ silence: Silence) -> String {
        silence.isActive(at: now) ? "active" : silence.endsAt <= now ? "expired" : "pending"
    }

    private struct Entry: Encodable {
        var id: Int64
        var rule: String?
        var matchers: [String]
        var startsAt: String
        var endsAt: String
        var active: Bool
        var state: String
        var comment: String
        var createdBy: String

        enum CodingKeys: String, CodingKey {
            case id, rule, matchers, active, state, comment
            case startsAt = "starts_at", endsAt = "ends_at", createdBy = "created_by"
        }
    }
}
