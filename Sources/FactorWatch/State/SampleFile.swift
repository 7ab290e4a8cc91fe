#if canImport(Glibc)
import Glibc
#endif

/// `<state>.samples`: collector memory that is only a sample to compare the next run with (the `system`
/// collector's `/proc/stat` counters). It changes at every run, so keeping it in the state database would make
/// every idle run a transaction through the rollback journal (about 17 KB and 4 fsyncs). Here it is one `pwrite`
/// of a few dozen bytes in place, without fsync: a sample lost to a crash or a torn write is only a sample to take
/// again (the collector then samples twice within the run), never a wrong value. A file that does not check out
/// (length or checksum) reads as empty.
enum SampleFile {
    static let magic = "factorwatch-samples 1"

    static func path(forState statePath: String) -> String { statePath + ".samples" }

    /// The samples, keyed `collector NUL key`; empty when the file is missing, unreadable or damaged.
    static func read(_ path: String) -> [String: String] {
        guard let bytes = try? FileSystem.contents(path), let newline = bytes.firstIndex(of: 0x0A) else { return [:] }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        let body = bytes[(newline + 1)...]
        guard header.count == 4, header[0] + " " + header[1] == magic, Int(header[2]) == body.count,
              UInt64(header[3], radix: 16) == checksum(body) else { return [:] }
        var values: [String: String] = [:]
        for line in body.split(separator: 0x0A) {
            guard let tab = line.firstIndex(of: 0x09) else { return [:] }
            values[String(decoding: line[..<tab], as: UTF8.self)]
                = String(decoding: line[(tab + 1)...], as: UTF8.self)
        }
        return values
    }

    /// Writes `values` in place (one pwrite, then the length): best effort, a failure only costs a sample.
    static func write(_ values: [String: String], to path: String) {
        var body: [UInt8] = []
        for (key, value) in values.sorted(by: { $0.key < $1.key })
        where !key.utf8.contains(0x0A) && !key.utf8.contains(0x09) && !value.utf8.contains(0x0A) {
            body += Array(key.utf8) + [0x09] + Array(value.utf8) + [0x0A]
        }
        let header = Array("\(magic) \(body.count) \(String(checksum(body[...]), radix: 16))\n".utf8)
        let content = header + body
        let descriptor = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let written = content.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        if written == content.count { _ = ftruncate(descriptor, off_t(content.count)) }
    }

    /// FNV-1a, 64 bits: enough to tell a torn or foreign file from ours.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
