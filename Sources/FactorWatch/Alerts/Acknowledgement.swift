#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Someone took one firing alert: no repeats and no escalation until it resolves, changes severity, or `until`
/// passes. A resolved-then-refiring alert is new (another `firedAt`) and unacknowledged.
public struct Acknowledgement: Sendable, Equatable {
    public var id: Int64
    public var key: AlertKey
    /// The severity it was taken at: a change of severity ends it.
    public var severity: Severity
    /// When the acknowledged firing began.
    public var firedAt: Date
    public var until: Date?
    public var comment: String
    public var author: String
    public var createdAt: Date

    public init(id: Int64 = 0, key: AlertKey, severity: Severity, firedAt: Date, until: Date? = nil,
                comment: String, author: String, createdAt: Date) {
        self.id = id
        self.key = key
        self.severity = severity
        self.firedAt = firedAt
        self.until = until
        self.comment = comment
        self.author = author
        self.createdAt = createdAt
    }

    /// True while it holds for `record`: the same firing, at the same severity, before `until`.
    public func covers(_ record: AlertRecord, at now: Date) -> Bool {
        record.phase == .firing && record.key == key && record.severity == severity
            && record.firedAt.map { abs($0.timeIntervalSince(firedAt)) < 0.001 } == true
            && until.map { now < $0 } ?? true
    }

    /// `acknowledged by ops at 2026-11-24T03:10:00+08:00: restarting the download`.
    public func wording(in zone: TimeZoneRules) -> String {
        var text = "acknowledged by \(author) at \(Timestamp.format(createdAt, in: zone))"
        if let until { text += " until \(Timestamp.format(until, in: zone))" }
        return comment.isEmpty ? text : text + ": " + comment
    }
}

/// Where acknowledgements are kept: added by `ack`, read by the acknowledge stage, `status` and `alerts`.
public protocol AcknowledgementStore: AnyObject {
    func acknowledgements() throws -> [Acknowledgement]
    /// Stores `acknowledgement` (its id is ignored); returns the id it got.
    func add(_ acknowledgement: Acknowledgement) throws -> Int64
    /// Forgets acknowledgements of firings that began before `before` and whose alert is no longer firing.
    func pruneAcknowledgements(before: Date) throws
}

extension AlertKey {
    /// A short stable name for the alert instance, as `alerts` and `status` show it and `ack` takes it: eight hex
    /// digits of the FNV-1a hash of the rule and its labels.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (rule + "\u{0}" + labels.key).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
