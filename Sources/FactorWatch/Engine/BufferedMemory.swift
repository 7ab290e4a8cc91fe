/// Collector memory read from the state database at the start of an evaluation; writes are held until the
/// evaluation's transaction stores them (or dropped, in a dry run).
public final class BufferedMemory: CollectorMemory, @unchecked Sendable {
    private var values: [String: String]
    private var writes: [String: String?] = [:]
    private let lock = Mutex()

    /// Keys kept in the sample file, not the database (read from it, or set with `setSample`).
    private var samples: Set<String> = []
    private var samplesChanged = false
    /// Keys the database holds (to forget them there once they move to the sample file).
    private let stored: Set<String>

    public convenience init(values: [String: String] = [:]) { self.init(values: values, stored: Set(values.keys)) }

    private init(values: [String: String], stored: Set<String>) {
        self.values = values
        self.stored = stored
    }

    /// The database's memory, with the sample file next to it on top.
    public convenience init(store: StateStore, statePath: String) throws {
        let database = try store.memoryValues()
        let samples = SampleFile.read(SampleFile.path(forState: statePath))
        self.init(values: database.merging(samples) { _, sample in sample }, stored: Set(database.keys))
        self.samples = Set(samples.keys)
    }

    /// Remembers a sample whose loss is harmless (the next run takes it again): it goes to the sample file, so
    /// a run that changes nothing else writes nothing to the database.
    public func setSample(_ value: String, collector: String, key: String) {
        lock.withLock {
            let name = collector + "\u{0}" + key
            values[name] = value
            samples.insert(name)
            samplesChanged = true
            // Kept in the database by an older version: forgotten there once.
            writes[name] = stored.contains(name) ? .some(nil) : nil
        }
    }

    /// Writes the samples set in this run to the sample file (nothing when none was set).
    public func saveSamples(statePath: String) {
        let current: [String: String] = lock.withLock {
            guard samplesChanged else { return [:] }
            return values.filter { samples.contains($0.key) }
        }
        guard !current.isEmpty else { return }
        SampleFile.write(current, to: SampleFile.path(forState: statePath))
    }

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
