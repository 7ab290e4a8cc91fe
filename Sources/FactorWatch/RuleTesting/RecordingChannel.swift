/// A channel that keeps every digest it is handed, so a rule test sees exactly what `eval` would send and to whom.
public final class RecordingChannel: Channel, @unchecked Sendable {
    public let name: String
    private var digests: [Digest] = []
    private let lock = Mutex()

    public init(name: String) { self.name = name }

    public func render(_ digest: Digest) -> RenderedMessage {
        RenderedMessage(subject: DigestFormatter.subject(digest),
                        body: DigestFormatter.body(digest, zone: (try? TimeZoneRules(identifier: digest.zone)) ?? .utc))
    }

    public func deliver(_ digest: Digest) -> Delivery {
        lock.withLock { digests.append(digest) }
        return .sent
    }

    /// The digests delivered since the last call.
    public func drain() -> [Digest] {
        lock.withLock {
            defer { digests.removeAll() }
            return digests
        }
    }
}
