#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileSystem {
    /// Writes `bytes` to `path` whole or not at all: a temporary file beside it, flushed to disk, then renamed
    /// over `path`, so a reader sees the old file or the new one, never a part. The temporary is removed on
    /// failure; the error names the file the failing call was about.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = directory + ".\(base).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw Failure(path: temporary, code: errno) }
        var failure: Failure?
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failure = Failure(path: temporary, code: count < 0 ? errno : ENOSPC)
                    return
                }
                written += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = Failure(path: temporary, code: errno) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = Failure(path: path, code: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}
