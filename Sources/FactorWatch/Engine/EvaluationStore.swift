#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one evaluation reads and writes: each stage's own narrow store (alert state, silences, acknowledgements,
/// the notification log, the outbox, held notices, collector memory), the history the range selectors read, the
/// delivery of what is due, and the one transaction that makes the evaluation's writes all or nothing.
public protocol EvaluationStore: AlertStateStore, SilenceStore, AcknowledgementStore, NotificationLogStore,
    OutboxStore, HeldNoticeStore, CollectorMemoryStore {
    /// Where the store lives; `:memory:` for a private one (no disk reserve to manage).
    var path: String { get }
    /// Runs `body` as one transaction: every write in it is kept, or none is.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Forgets what no command reads any more (ended silences, dead notices, old job runs and acknowledgements).
    func pruneRetained(before: Date) throws
    /// The per-day history the range selectors read and the history stage writes.
    func historyStore() throws -> HistoryStore
    /// Delivery of the outbox's due entries under `configuration`.
    func dispatcher(_ configuration: Configuration) -> Dispatcher
}

extension StateStore: EvaluationStore {
    public func historyStore() throws -> HistoryStore { try HistoryStore(store: self) }
    public func dispatcher(_ configuration: Configuration) -> Dispatcher {
        Dispatcher(configuration: configuration, store: self)
    }
}
