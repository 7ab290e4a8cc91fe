#if canImport(Glibc)
import Glibc
#endif

/// Space kept beside the state database (`STATE.reserve`) for the evaluation that finds its disk full: that run
/// frees it, so it can still record its alerts and the disk alert, and deliver them. A later run with room again
/// puts the reserve back.
enum StateReserve {
    static let size = 4 << 20

    static func path(for statePath: String) -> String { statePath + ".reserve" }

    /// Creates the reserve if it is missing; on a disk without room for it, leaves nothing behind.
    static func ensure(for statePath: String) {
        let path = path(for: statePath)
        var status = stat()
        if stat(path, &status) == 0 && Int(status.st_size) >= size { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let failed = posix_fallocate(fd, 0, off_t(size)) != 0
        close(fd)
        if failed { unlink(path) }
    }

    /// Frees the reserve; true when there was one to free.
    static func release(for statePath: String) -> Bool {
        unlink(path(for: statePath)) == 0
    }
}
