/// Collector memory read from the state database at the start of an evaluation; writes are held until the
/// evaluation's transaction stores them (or dropped, in a dry run).
public final class BufferedMemory: CollectorMemory, @unchecked Sendable {
    private var values: [String: String]
    private var writes: [String: String?] = [:]
    private let lock = Mutex()

    public init(values: [String: String] = [:]) { self.values = values }

    public func value(collector: String, key: String) -> String? {
        lock.withLock { values[collector + "\u{0}" + key] }
    }

    public func set(_ value: String?, collector: String, key: String) {
        lock.withLock {
            values[collector + "\u{0}" + key] = value
            writes[collector + "\u{0}" + key] = .some(value)
        }
    }

    /// The writes made since the start, as (collector, key, value or nil to delete).
    public var pendingWrites: [(collector: String, key: String, value: String?)] {
        lock.withLock {
            writes.map { entry in
                let parts = entry.key.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "", entry.value)
            }
        }
    }
}

/// Where collector memory persists between evaluations.
public protocol CollectorMemoryStore: AnyObject {
    /// Every remembered value, keyed `collector NUL key`.
    func memoryValues() throws -> [String: String]
    /// Stores a value, or forgets it when `value` is nil.
    func setMemory(collector: String, key: String, value: String?) throws
}
