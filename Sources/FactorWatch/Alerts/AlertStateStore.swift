#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One change of an alert's phase, as the transition history keeps it.
public struct AlertTransition: Sendable, Equatable {
    public var at: Date
    public var key: AlertKey
    public var from: String
    public var to: String
    public var severity: Severity
    public var value: Double
    public var summary: String

    public init(at: Date, key: AlertKey, from: String, to: String, severity: Severity, value: Double,
                summary: String) {
        self.at = at
        self.key = key
        self.from = from
        self.to = to
        self.severity = severity
        self.value = value
        self.summary = summary
    }
}

/// Where the state stage keeps each alert's record and the history of its transitions.
public protocol AlertStateStore: AnyObject {
    func alerts() throws -> [AlertKey: AlertRecord]
    func save(_ record: AlertRecord) throws
    func delete(_ key: AlertKey) throws
    func appendHistory(_ transition: AlertTransition) throws
    /// The newest transitions first.
    func history(limit: Int) throws -> [AlertTransition]
    /// Forgets transitions older than `before`.
    func pruneHistory(before: Date) throws
}
