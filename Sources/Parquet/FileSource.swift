#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file read with `pread` at explicit offsets: one system call per column chunk, and no
/// Foundation in the reader. The descriptor closes when the last copy of the handle goes away.
final class FileSource: @unchecked Sendable {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ParquetError(.io, "cannot open: \(Self.errorText())", file: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = Self.errorText()
            close(fd)
            throw ParquetError(.io, "cannot stat: \(text)", file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ParquetError(.io, "not a regular file", file: path)
        }
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at `offset` into `buffer` (resized, capacity kept).
    func read(offset: Int, count: Int, into buffer: inout [UInt8]) throws {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(
                .corrupt, "range of \(count) bytes runs past the end of the \(size)-byte file",
                file: path, offset: offset)
        }
        if buffer.count != count {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: repeatElement(0, count: count))
        }
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < count {
                let result = pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(.io, "read failed: \(Self.errorText())", file: path, offset: offset + done)
                }
                if result == 0 {
                    throw ParquetError(.io, "file shrank while reading", file: path, offset: offset + done)
                }
                done += result
            }
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
