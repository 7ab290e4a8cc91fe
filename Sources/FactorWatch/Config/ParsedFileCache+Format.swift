/// The cache file: `FWRC`, the format number, the binary's stamp, a checksum and the length of the body, then the
/// body: each file's path, identity and node tree. Integers are LEB128; strings are a length and UTF-8 bytes.
extension ParsedFileCache {
    static let magic: [UInt8] = Array("FWRC".utf8)
    /// Deeper trees than this are not written or read (YAML of a configuration is a few levels deep).
    static let maxDepth = 200

    static func encode(_ entries: [(String, Entry)], binary: [UInt8]) -> [UInt8] {
        var body = CacheWriter()
        var kept: [(String, Entry)] = []
        for (file, entry) in entries where entry.root.depth <= maxDepth { kept.append((file, entry)) }
        body.integer(UInt64(kept.count))
        for (file, entry) in kept {
            body.string(file)
            entry.identity.write(to: &body)
            body.node(entry.root)
        }
        var head = CacheWriter()
        head.bytes += magic
        head.integer(UInt64(formatVersion))
        head.integer(UInt64(binary.count))
        head.bytes += binary
        head.integer(checksum(body.bytes))
        head.integer(UInt64(body.bytes.count))
        return head.bytes + body.bytes
    }

    /// The entries of a cache written by the binary `binary`; throws for anything else.
    static func decode(_ bytes: [UInt8], binary: [UInt8]) throws(CacheReader.Invalid) -> [String: Entry] {
        var reader = CacheReader(bytes)
        guard try reader.bytes(magic.count) == magic[...], try reader.integer() == UInt64(formatVersion),
              try reader.bytes(Int(try reader.count())) == binary[...] else { throw .invalid }
        let sum = try reader.integer()
        let length = try reader.count()
        guard length == reader.remaining, checksum(bytes[reader.position...]) == sum else { throw .invalid }
        var entries: [String: Entry] = [:]
        for _ in 0..<(try reader.count()) {
            let file = try reader.string()
            let identity = try FileIdentity.read(from: &reader)
            entries[file] = Entry(identity: identity, root: try reader.node(file: file, depth: 0))
        }
        guard reader.remaining == 0 else { throw .invalid }
        return entries
    }

    /// FNV-1a, 64 bits: a torn or damaged file is told from a whole one.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

extension ConfigNode {
    /// Levels of nesting (a scalar is 1).
    var depth: Int {
        switch value {
        case .null, .scalar: 1
        case .sequence(let items): 1 + (items.map(\.depth).max() ?? 0)
        case .mapping(let entries): 1 + (entries.map(\.value.depth).max() ?? 0)
        }
    }
}

struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func integer(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func string(_ text: String) {
        integer(UInt64(text.utf8.count))
        bytes += text.utf8
    }

    /// A tag (null, plain scalar, quoted scalar, list, mapping), the line and column, then what the node holds.
    mutating func node(_ node: ConfigNode) {
        let tag: UInt8
        switch node.value {
        case .null: tag = 0
        case .scalar(_, let quoted): tag = quoted ? 2 : 1
        case .sequence: tag = 3
        case .mapping: tag = 4
        }
        bytes.append(tag)
        integer(UInt64(max(0, node.location.line)))
        integer(UInt64(max(0, node.location.column)))
        switch node.value {
        case .null: break
        case .scalar(let text, _): string(text)
        case .sequence(let items):
            integer(UInt64(items.count))
            for item in items { self.node(item) }
        case .mapping(let entries):
            integer(UInt64(entries.count))
            for entry in entries {
                string(entry.key)
                integer(UInt64(max(0, entry.keyLocation.line)))
                integer(UInt64(max(0, entry.keyLocation.column)))
                self.node(entry.value)
            }
        }
    }
}

/// Reads what `CacheWriter` wrote, checking every length against what is there.
struct CacheReader {
    enum Invalid: Error { case invalid }

    private let data: [UInt8]
    private(set) var position = 0

    init(_ data: [UInt8]) { self.data = data }

    var remaining: Int { data.count - position }

    mutating func byte() throws(Invalid) -> UInt8 {
        guard position < data.count else { throw .invalid }
        defer { position += 1 }
        return data[position]
    }

    mutating func integer() throws(Invalid) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw .invalid }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A count or a length: no more than the bytes left (every counted thing takes at least one).
    mutating func count() throws(Invalid) -> Int {
        let value = try integer()
        guard value <= UInt64(remaining) else { throw .invalid }
        return Int(value)
    }

    mutating func bytes(_ count: Int) throws(Invalid) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .invalid }
        defer { position += count }
        return data[position..<(position + count)]
    }

    mutating func string() throws(Invalid) -> String {
        guard let text = String(validating: try bytes(try count()), as: UTF8.self) else { throw .invalid }
        return text
    }

    mutating func location(file: String) throws(Invalid) -> SourceLocation {
        let line = try integer(), column = try integer()
        guard line <= UInt64(Int32.max), column <= UInt64(Int32.max) else { throw .invalid }
        return SourceLocation(file: file, line: Int(line), column: Int(column))
    }

    mutating func node(file: String, depth: Int) throws(Invalid) -> ConfigNode {
        guard depth < ParsedFileCache.maxDepth else { throw .invalid }
        let tag = try byte()
        let location = try location(file: file)
        switch tag {
        case 0: return ConfigNode(value: .null, location: location)
        case 1, 2: return ConfigNode(value: .scalar(try string(), quoted: tag == 2), location: location)
        case 3:
            var items: [ConfigNode] = []
            let count = try count()
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try node(file: file, depth: depth + 1)) }
            return ConfigNode(value: .sequence(items), location: location)
        case 4:
            var entries: [ConfigEntry] = []
            let count = try count()
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let key = try string()
                let keyLocation = try self.location(file: file)
                entries.append(ConfigEntry(key: key, keyLocation: keyLocation, value: try node(file: file, depth: depth + 1)))
            }
            return ConfigNode(value: .mapping(entries), location: location)
        default: throw .invalid
        }
    }
}
