#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock beside the state database, held for a whole evaluation (collect → remember → dispatch), so
/// two overlapping cron runs cannot both send the same notification. The kernel releases it if the process dies.
public final class RunLock {
    private let descriptor: Int32
    public let path: String

    public struct Busy: Error, CustomStringConvertible {
        public var path: String
        public var holder: String
        public var waited: Double

        public var description: String {
            "another factorwatch run holds \(path) (\(holder)); waited \(formatDuration(seconds: waited)). "
                + "If no other run is active, the previous one may be stuck: check `ps` for factorwatch."
        }
    }

    /// Waits up to `timeout` seconds for the lock.
    public init(path: String, timeout: Double) throws {
        self.path = path
        // O_NOFOLLOW: a symbolic link planted at the lock's path must not make eval truncate its target.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            let reason = errno == ELOOP
                ? "it is a symbolic link; the run lock must be a plain file (remove the link)"
                : String(cString: strerror(errno))
            throw StateStoreError.unreadable(path: path, reason: reason)
        }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, waited < timeout else {
                var buffer = [UInt8](repeating: 0, count: 64)
                let count = pread(fd, &buffer, 64, 0)
                let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmed() : "unknown"
                close(fd)
                throw Busy(path: path, holder: holder, waited: waited)
            }
            usleep(50_000)
            waited += 0.05
        }
        descriptor = fd
        let note = "pid \(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Creates the directory that will hold `path` (and its parents), as `mkdir -p` does.
public func makeParentDirectory(of path: String) throws {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
    var current = path.hasPrefix("/") ? "/" : ""
    for component in path[..<slash].split(separator: "/") {
        current += component
        if mkdir(current, 0o755) != 0 && errno != EEXIST {
            throw StateStoreError.unreadable(path: current, reason: "cannot create directory: "
                                             + String(cString: strerror(errno)))
        }
        current += "/"
    }
}
