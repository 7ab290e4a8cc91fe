#if canImport(Glibc)
import Glibc
#endif

/// The parsed YAML of rule files, kept beside the state database (`STATE.rules-cache`) so that a run whose rule
/// files are unchanged does not parse them again. Only the parse is kept: every rule is still decoded and checked,
/// so problems and warnings come out as they always do. An entry is used only while its file has the same identity
/// (device, inode, size, modification and change times in nanoseconds); the whole cache only when it was written
/// by this very binary (version and the executable's own identity). A cache that cannot be read, is short, corrupt
/// or from another binary counts as empty, and failing to write one is not a problem: the files are parsed.
final class ParsedFileCache {
    static let formatVersion: UInt32 = 1
    /// A file changed within this many nanoseconds of being read is not kept: a second change in the same tick of
    /// the file system's clock could leave its identity unchanged.
    static let settleNanoseconds: Int64 = 1_000_000_000

    struct Entry {
        var identity: FileIdentity
        var root: ConfigNode
    }

    let path: String
    private let binary: [UInt8]?
    private let stored: [String: Entry]
    /// What this load read: the next cache.
    private var used: [String: Entry] = [:]
    private var usedChanged = false

    /// The cache for the state database at `statePath` (nothing is read when the binary cannot identify itself).
    init(statePath: String) {
        path = statePath + ".rules-cache"
        binary = ParsedFileCache.binaryStamp()
        if let binary, let bytes = readWholeFile(path), let entries = try? ParsedFileCache.decode(bytes, binary: binary) {
            stored = entries
        } else {
            stored = [:]
        }
    }

    /// `file` parsed: from the cache while its identity is the one stored, otherwise read and parsed (with the
    /// problems of `readYAML`), and kept for the next run when it parsed and did not change while it was read.
    func parse(_ file: String, problems: ProblemList) -> ConfigNode? {
        let before = FileIdentity(file)
        if let before, let entry = stored[file], entry.identity == before {
            used[file] = entry
            return entry.root
        }
        usedChanged = true
        guard let root = readYAML(file, problems: problems) else { return nil }
        if let before, FileIdentity(file) == before, before.isSettled(now: realTimeNanoseconds()) {
            used[file] = Entry(identity: before, root: root)
        }
        return root
    }

    /// Writes the cache when what was read differs from what was stored: to a temporary file renamed over the
    /// old one, so that a reader sees the old cache or the new one, never a part.
    func save() {
        guard let binary, usedChanged || used.count != stored.count else { return }
        let bytes = ParsedFileCache.encode(used.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, binary: binary)
        let temporary = path + ".tmp\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return }
        let written = bytes.withUnsafeBytes { buffer in writeAll(descriptor, buffer) }
        guard close(descriptor) == 0, written, rename(temporary, path) == 0 else {
            unlink(temporary)
            return
        }
    }

    /// The version and the identity of the running executable: a rebuilt binary never reads an older one's cache.
    static func binaryStamp() -> [UInt8]? {
        // The path the link names, then that file: a replaced binary is another file (and a deleted one, none).
        var buffer = [CChar](repeating: 0, count: 4_096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let identity = FileIdentity(executable) else { return nil }
        var writer = CacheWriter()
        writer.string(FactorWatchVersion.current)
        identity.write(to: &writer)
        return writer.bytes
    }
}

/// What identifies one version of a file (`stat`): a rewrite, a `touch`, a replacement by rename each change it.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var changed: Int64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }

    /// Last changed long enough before `now` (nanoseconds) that a later change shows in the times.
    func isSettled(now: Int64) -> Bool {
        max(modified, changed) <= now - ParsedFileCache.settleNanoseconds
    }

    func write(to writer: inout CacheWriter) {
        writer.integer(device)
        writer.integer(inode)
        writer.integer(UInt64(bitPattern: size))
        writer.integer(UInt64(bitPattern: modified))
        writer.integer(UInt64(bitPattern: changed))
    }

    static func read(from reader: inout CacheReader) throws(CacheReader.Invalid) -> FileIdentity {
        FileIdentity(device: try reader.integer(), inode: try reader.integer(),
                     size: Int64(bitPattern: try reader.integer()), modified: Int64(bitPattern: try reader.integer()),
                     changed: Int64(bitPattern: try reader.integer()))
    }
}

func realTimeNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// The whole of a small file, or nil on any failure.
func readWholeFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 { return nil }
        if count == 0 { return bytes }
        bytes += chunk[..<count]
    }
}

private func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
        let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
    }
    return true
}
