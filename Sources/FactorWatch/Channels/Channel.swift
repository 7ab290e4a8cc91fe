#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A way to tell people: email, a webhook, a log file. A channel knows nothing of collectors or rules; it is handed
/// a digest (every alert one evaluation notifies through it) and either delivers it or says why not.
public protocol Channel: Sendable {
    /// The channel's name: the stem of its file in `channels/`.
    var name: String { get }
    /// The message as it would be sent: used by `--dry-run` and by the senders themselves.
    func render(_ digest: Digest) -> RenderedMessage
    /// Sends one digest. Must not throw: failures are values, with whether a retry could help.
    func deliver(_ digest: Digest) -> Delivery
    /// True for a channel that is handed every firing alert at every evaluation (Alertmanager): it does its own
    /// de-duplication and repeat, so the routes' `repeat` does not apply to it; it still goes through the outbox.
    var resendsEveryEvaluation: Bool { get }
}

extension Channel {
    public var resendsEveryEvaluation: Bool { false }
}

/// What became of one delivery attempt.
public enum Delivery: Sendable, Equatable {
    case sent
    case failed(String, retryable: Bool)
}

/// A subject line and a body, as a person reads them.
public struct RenderedMessage: Sendable, Equatable, Codable {
    public var subject: String
    public var body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }
}
