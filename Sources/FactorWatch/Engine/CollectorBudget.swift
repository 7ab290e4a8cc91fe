#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One collector run on its own thread with a time budget. When the budget passes the collector is given up on:
/// its result is never used and its later writes to the memory are dropped, so a collector stuck on a dead NFS
/// mount or a pathological file becomes a failure (unknown, never resolved) instead of holding the run lock.
/// The thread itself cannot be stopped; it ends with the process.
final class BudgetedCollection: @unchecked Sendable {
    private let lock = Mutex()
    private var condition = pthread_cond_t()
    private var outcome: Result<[Observation], any Error>?
    private let collector: any Collector
    private let context: CollectionContext
    fileprivate let memory: GuardedMemory

    init(_ collector: any Collector, context: CollectionContext) {
        self.collector = collector
        memory = GuardedMemory(context.memory)
        var guarded = context
        guarded.memory = memory
        self.context = guarded
        pthread_cond_init(&condition, nil)
    }

    deinit { pthread_cond_destroy(&condition) }

    /// The collector's observations, its error, or nil when it did not finish within `seconds`.
    func run(seconds: Double) -> Result<[Observation], any Error>? {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let run = Unmanaged<BudgetedCollection>.fromOpaque(raw!).takeRetainedValue()
            run.finish(Result { try run.collector.collect(run.context) })
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<BudgetedCollection>.fromOpaque(box).release()
            return Result { try collector.collect(context) }
        }
        pthread_detach(thread)
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let whole = seconds.rounded(.down)
        deadline.tv_sec += Int(whole)
        deadline.tv_nsec += Int((seconds - whole) * 1e9)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        return lock.withRawLock { mutex in
            while outcome == nil {
                if pthread_cond_timedwait(&condition, mutex, &deadline) == ETIMEDOUT { break }
            }
            if outcome == nil { memory.close() }
            return outcome
        }
    }

    private func finish(_ result: Result<[Observation], any Error>) {
        lock.withRawLock { _ in
            outcome = result
            pthread_cond_signal(&condition)
        }
    }
}

/// A collector's view of the memory that stops passing writes through once its collector was given up on.
final class GuardedMemory: CollectorMemory, @unchecked Sendable {
    private let base: any CollectorMemory
    private let lock = Mutex()
    private var closed = false

    init(_ base: any CollectorMemory) { self.base = base }

    func close() { lock.withLock { closed = true } }

    func value(collector: String, key: String) -> String? { base.value(collector: collector, key: key) }

    func set(_ value: String?, collector: String, key: String) {
        lock.withLock { if !closed { base.set(value, collector: collector, key: key) } }
    }

    func setSample(_ value: String, collector: String, key: String) {
        lock.withLock { if !closed { base.setSample(value, collector: collector, key: key) } }
    }
}
