#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Delivers queued digests from the outbox: each is already stored before any attempt, is marked sent only after
/// the channel reports success, and is retried with backoff until `maxAttempts`, then marked dead — never dropped.
public struct Dispatcher {
    public let configuration: Configuration
    public let store: StateStore

    public init(configuration: Configuration, store: StateStore) {
        self.configuration = configuration
        self.store = store
    }

    /// Attempts every due digest once. A failing channel does not stop the others.
    public func deliverDue(now: Date) throws -> [NotificationReport] {
        var reports: [NotificationReport] = []
        for (entry, covered) in try deliveryPlan(at: now) {
            let retry = entry.createdAt < now
            guard let channel = configuration.channels[entry.channel] else {
                let message = "channel \"\(entry.channel)\" is no longer configured"
                try store.markFailed(entry.id, error: message, nextAttemptAt: now, dead: true)
                reports.append(NotificationReport(entry.digest, via: configuration, status: .dead, retry: retry, error: message))
                continue
            }
            switch channel.deliver(entry.digest) {
            case .sent:
                try store.markSent(entry.id, at: now)
                for id in covered { try store.markSent(id, at: now) }
                reports.append(NotificationReport(entry.digest, via: configuration, status: .sent, retry: retry))
            case .failed(let reason, let retryable):
                // The channel knows a retry cannot help (authentication, certificate, 404, SMTP 5xx): dead at once.
                let attempts = entry.attempts + 1
                let dead = !retryable || attempts >= configuration.delivery.maxAttempts
                let message = retryable ? reason : "not retryable: " + reason
                let next = dead ? now : now.addingTimeInterval(configuration.delivery.backoff(afterAttempts: attempts))
                try store.markFailed(entry.id, error: message, nextAttemptAt: next, dead: dead)
                reports.append(NotificationReport(entry.digest, via: configuration, status: dead ? .dead : .queued, retry: retry,
                                                error: message))
            }
        }
        return reports + (try mirrorSilences(now: now))
    }
}
