#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the POSIX calls the collectors need (stat, statvfs, readdir, read), reporting errno as text.
///
/// Foundation's file APIs lose errno, and a user fixing a path needs "Permission denied" versus "No such file".
public enum FileSystem {
    /// A failed system call: the path it was about and errno.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var code: Int32

        public init(path: String, code: Int32) {
            self.path = path
            self.code = code
        }

        /// `strerror` text, such as "No such file or directory".
        public var reason: String { String(cString: strerror(code)) }
        public var isMissing: Bool { code == ENOENT || code == ENOTDIR }
        public var description: String { "\(path): \(reason)" }
    }

    public enum Kind: Sendable, Equatable {
        case regular, directory, symbolicLink, other
    }

    /// What `stat` says about one path.
    public struct Status: Sendable, Equatable {
        public var kind: Kind
        public var size: Int64
        /// Modification time, seconds since the epoch (with nanoseconds as the fraction).
        public var modified: Double
        /// What identifies this version of the file: device, inode, size, modification and change times in
        /// nanoseconds. A rewrite, a replacement by rename or a reset modification time each change it.
        public var identity: String = ""
    }

    /// `stat` (following symbolic links) or `lstat`.
    public static func status(_ path: String, followLinks: Bool = true) throws(Failure) -> Status {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { throw Failure(path: path, code: errno) }
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        #if canImport(Darwin)
            let modified = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        #if canImport(Darwin)
            let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
            let modifiedNanoseconds = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
            let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            let modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        let identity = "\(info.st_dev):\(info.st_ino):\(info.st_size):\(modifiedNanoseconds):\(changed)"
        return Status(kind: kind, size: Int64(info.st_size), modified: modified, identity: identity)
    }

    /// One directory entry; `isDirectory` is nil for symbolic links and when the file system did not say (then ask
    /// `status`).
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isDirectory: Bool?
    }

    /// The entries of a directory, without `.` and `..`, in no particular order.
    public static func entries(_ path: String) throws(Failure) -> [Entry] {
        guard let handle = opendir(path) else { throw Failure(path: path, code: errno) }
        defer { closedir(handle) }
        var result: [Entry] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { throw Failure(path: path, code: errno) }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            let isDirectory: Bool? = type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) ? nil : type == UInt8(DT_DIR)
            result.append(Entry(name: name, isDirectory: isDirectory))
        }
        return result
    }

    /// The names in a directory, sorted.
    public static func names(_ path: String) throws(Failure) -> [String] {
        try entries(path).map(\.name).sorted()
    }

    /// Sizes and free space of the file system holding `path`, as `statvfs` reports them.
    public struct Space: Sendable, Equatable {
        /// Bytes in the file system (f_blocks × f_frsize).
        public var totalBytes: UInt64
        /// Bytes in use (f_blocks − f_bfree, times f_frsize).
        public var usedBytes: UInt64
        /// Bytes an unprivileged user may still write (f_bavail × f_frsize).
        public var availableBytes: UInt64
        public var totalInodes: UInt64
        public var freeInodes: UInt64
    }

    public static func space(_ path: String) throws(Failure) -> Space {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw Failure(path: path, code: errno) }
        let unit = UInt64(info.f_frsize)
        let blocks = UInt64(info.f_blocks)
        let free = UInt64(info.f_bfree)
        return Space(
            totalBytes: blocks * unit, usedBytes: (blocks >= free ? blocks - free : 0) * unit,
            availableBytes: UInt64(info.f_bavail) * unit, totalInodes: UInt64(info.f_files),
            freeInodes: UInt64(info.f_ffree))
    }

    /// The whole content of a file.
    public static func contents(_ path: String) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(path: path, code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, code: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// `dir` and `name` joined with exactly one slash.
    public static func join(_ dir: String, _ name: String) -> String {
        if dir.isEmpty { return name }
        return dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}

/// Something wrong with one file a collector reads, worded as `path: reason`.
struct PathProblem: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
