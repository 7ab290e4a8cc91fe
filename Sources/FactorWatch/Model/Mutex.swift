#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small pthread mutex for the few shared mutable places (in-memory stores, C callbacks).
public final class Mutex: @unchecked Sendable {
    private let handle = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() { pthread_mutex_init(handle, nil) }

    deinit {
        pthread_mutex_destroy(handle)
        handle.deallocate()
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(handle)
        defer { pthread_mutex_unlock(handle) }
        return try body()
    }

    /// The same, handing the body the pthread mutex itself (for a condition variable's wait).
    func withRawLock<T>(_ body: (UnsafeMutablePointer<pthread_mutex_t>) throws -> T) rethrows -> T {
        pthread_mutex_lock(handle)
        defer { pthread_mutex_unlock(handle) }
        return try body(handle)
    }
}
