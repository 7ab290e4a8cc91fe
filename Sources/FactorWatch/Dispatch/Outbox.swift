#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

/// Where digests wait for delivery: written by the evaluation, drained by the dispatcher, read by `alerts` and
/// `status`. Every query is typed; the store owns its SQL.
public protocol OutboxStore: AnyObject {
    /// Queues `digest`, due at once; returns its id.
    func enqueue(_ digest: Digest, at: Date) throws -> Int64
    /// Queued entries whose next attempt is due, oldest first.
    func dueOutbox(at now: Date) throws -> [OutboxEntry]
    /// Queued (not yet delivered) and dead entries, oldest first.
    func undelivered() throws -> [OutboxEntry]
    /// Queued entries of `channel` older than entry `id`, oldest first.
    func queuedOutbox(channel: String, before id: Int64) throws -> [OutboxEntry]
    /// One entry, whatever its status.
    func outboxEntry(id: Int64) throws -> OutboxEntry?
    func markSent(_ id: Int64, at: Date) throws
    func markFailed(_ id: Int64, error: String, nextAttemptAt: Date, dead: Bool) throws
    /// Forgets delivered digests older than `before`.
    func pruneSent(before: Date) throws
}
