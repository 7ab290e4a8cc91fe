#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the logs collector stopped reading one log: which file (device and inode), how far, and a hash of the
/// file's first bytes, so a file truncated and refilled past the old offset is still noticed.
struct LogPosition: Equatable {
    var device: UInt64
    var inode: UInt64
    var offset: Int64
    var headLength: Int
    var headHash: UInt64

    static let headBytes = 64

    var encoded: String { "1 \(device) \(inode) \(offset) \(headLength) \(headHash)" }

    init(device: UInt64, inode: UInt64, offset: Int64, headLength: Int, headHash: UInt64) {
        self.device = device
        self.inode = inode
        self.offset = offset
        self.headLength = headLength
        self.headHash = headHash
    }

    init?(encoded: String) {
        let parts = encoded.split(separator: " ")
        guard parts.count == 6, parts[0] == "1", let device = UInt64(parts[1]), let inode = UInt64(parts[2]),
              let offset = Int64(parts[3]), let length = Int(parts[4]), let hash = UInt64(parts[5]) else { return nil }
        self.init(device: device, inode: inode, offset: offset, headLength: length, headHash: hash)
    }
}

/// An open log file and what `fstat` says about it.
struct OpenLog {
    let fd: Int32
    let device: UInt64
    let inode: UInt64
    let size: Int64

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
    }

    func close() { _ = Glibc.close(fd) }

    func isSameFile(as position: LogPosition) -> Bool { device == position.device && inode == position.inode }

    /// FNV-1a of the first `length` bytes; nil when the file is shorter now.
    func headHash(length: Int) -> UInt64? {
        var bytes = [UInt8](repeating: 0, count: length)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, 0) }
        guard count == length else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A position at `offset` in this file.
    func position(at offset: Int64) -> LogPosition {
        let length = Int(min(Int64(LogPosition.headBytes), size))
        return LogPosition(device: device, inode: inode, offset: offset, headLength: length,
                           headHash: headHash(length: length) ?? 0)
    }

    /// Whether `position` still describes a prefix of this file: same file, not shorter, same first bytes.
    func continues(_ position: LogPosition) -> Bool {
        isSameFile(as: position) && size >= position.offset
            && headHash(length: position.headLength) == position.headHash
    }
}
