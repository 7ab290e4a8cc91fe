#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A notice a route's `deliver:`/`quiet:` holds back until `dueAt`, when it joins that evaluation's digest.
public struct HeldNotice: Sendable, Equatable {
    public var id: Int64
    public var channel: String
    public var notice: AlertNotice
    public var dueAt: Date

    public init(id: Int64 = 0, channel: String, notice: AlertNotice, dueAt: Date) {
        self.id = id
        self.channel = channel
        self.notice = notice
        self.dueAt = dueAt
    }

    var key: AlertKey { AlertKey(rule: notice.rule, labels: notice.labels) }
}

/// Where held notices wait: written and released by the digest stage, counted by `status`.
public protocol HeldNoticeStore: AnyObject {
    /// Held notices, oldest first; only those due by `dueBy` when given.
    func heldNotices(dueBy: Date?) throws -> [HeldNotice]
    func hold(_ notice: HeldNotice) throws
    /// Forgets notices that went out in a digest.
    func release(_ ids: [Int64]) throws
}
