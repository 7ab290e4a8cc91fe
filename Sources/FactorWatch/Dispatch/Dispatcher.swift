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
        for entry in try store.dueOutbox(at: now) {
            let retry = entry.createdAt < now
            guard let channel = configuration.channels[entry.channel] else {
                let message = "channel \"\(entry.channel)\" is no longer configured"
                try store.markFailed(entry.id, error: message, nextAttemptAt: now, dead: true)
                reports.append(configuration.report(entry.digest, status: .dead, retry: retry, error: message))
                continue
            }
            switch channel.deliver(entry.digest) {
            case .sent:
                try store.markSent(entry.id, at: now)
                reports.append(configuration.report(entry.digest, status: .sent, retry: retry))
            case .failed(let reason, let retryable):
                // The channel knows a retry cannot help (authentication, certificate, 404, SMTP 5xx): dead at once.
                let attempts = entry.attempts + 1
                let dead = !retryable || attempts >= configuration.delivery.maxAttempts
                let message = retryable ? reason : "not retryable: " + reason
                let next = dead ? now : now.addingTimeInterval(configuration.delivery.backoff(afterAttempts: attempts))
                try store.markFailed(entry.id, error: message, nextAttemptAt: next, dead: dead)
                reports.append(configuration.report(entry.digest, status: dead ? .dead : .queued, retry: retry,
                                                error: message))
            }
        }
        return reports
    }
}

extension Configuration {
    /// A digest as `eval` reports it: rendered by its channel (or plainly, when the channel is gone).
    func report(_ digest: Digest, status: NotificationReport.Status, retry: Bool, error: String? = nil)
        -> NotificationReport {
        let message = channels[digest.channel]?.render(digest)
            ?? RenderedMessage(subject: DigestFormatter.subject(digest), body: DigestFormatter.body(digest, zone: zone))
        return NotificationReport(channel: digest.channel, subject: message.subject, body: message.body,
                                  alerts: digest.alerts.map(\.rule), status: status, error: error, retry: retry)
    }
}
