#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Evaluator {
    /// Runs the evaluation's single transaction. When the state disk is full, frees the reserve beside the
    /// database and tries once more; false when it still cannot be written. A file-backed store puts the reserve
    /// back after a commit that had room.
    func commit(store: any EvaluationStore, _ body: () throws -> Void) throws -> Bool {
        let onDisk = store.path != ":memory:"
        do {
            try store.transaction(body)
        } catch let error as SQLiteError where error.isDiskFull && onDisk {
            guard StateReserve.release(for: store.path) else { return false }
            do {
                try store.transaction(body)
            } catch let again as SQLiteError where again.isDiskFull {
                return false
            }
            return true
        }
        if onDisk { StateReserve.ensure(for: store.path) }
        return true
    }
}

extension Dispatcher {
    /// Delivers digests without touching the state database (it has no room): what is sent is not marked, so it
    /// is sent again by the next run that can record it.
    func deliverUnrecorded(_ digests: [Digest], now: Date) -> [NotificationReport] {
        digests.map { digest in
            guard let channel = configuration.channels[digest.channel] else {
                return NotificationReport(digest, via: configuration, status: .dead, retry: false,
                                            error: "channel \"\(digest.channel)\" is no longer configured")
            }
            switch channel.deliver(digest) {
            case .sent:
                return NotificationReport(digest, via: configuration, status: .sent, retry: digest.createdAt < now)
            case .failed(let reason, _):
                return NotificationReport(digest, via: configuration, status: .queued, retry: digest.createdAt < now,
                                            error: reason + " (not recorded: the state disk is full)")
            }
        }
    }
}
