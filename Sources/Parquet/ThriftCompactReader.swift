/// A reader for the Thrift compact protocol, the encoding of Parquet's footer and page headers.
///
/// Only what Parquet needs: structs of integers, binaries, lists, booleans and nested structs.
/// Unknown fields are skipped generically (new format versions add fields), with a depth limit so
/// that hostile input cannot recurse without bound. Offsets in errors are relative to `bytes`.
struct ThriftCompactReader {
    enum FieldType: UInt8 {
        case boolTrue = 1
        case boolFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case structure = 12
    }

    struct FieldHeader {
        var id: Int16
        var type: FieldType
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private var lastFieldIds: [Int16] = []
    private var lastFieldId: Int16 = 0

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func error(_ message: String) -> ParquetError {
        ParquetError.corrupt("Thrift metadata: \(message)", offset: position)
    }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw error("unexpected end of data") }
        let byte = bytes[position]
        position &+= 1
        return byte
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw error("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift &+= 7
        }
    }

    mutating func readI64() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func readI32() throws -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw error("integer \(value) does not fit 32 bits") }
        return narrow
    }

    /// An i32 that must be a usable count or size.
    mutating func readCount(_ what: String) throws -> Int {
        let value = try readI32()
        guard value >= 0 else { throw error("negative \(what) \(value)") }
        return Int(value)
    }

    mutating func readBinary() throws -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(bytes.count &- position) else {
            throw error("binary of \(length) bytes runs past the end (\(bytes.count - position) left)")
        }
        let start = position
        position &+= Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    mutating func beginStruct() {
        lastFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    mutating func endStruct() {
        lastFieldId = lastFieldIds.popLast() ?? 0
    }

    /// The next field header, or nil at the struct's STOP byte.
    mutating func readFieldHeader() throws -> FieldHeader? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = FieldType(rawValue: byte & 0x0f) else { throw error("unknown field type \(byte & 0x0f)") }
        let delta = Int16(byte >> 4)
        if delta == 0 {
            lastFieldId = Int16(truncatingIfNeeded: try readI64())
        } else {
            lastFieldId = lastFieldId &+ delta
        }
        return FieldHeader(id: lastFieldId, type: type)
    }

    /// Value of a boolean field: compact protocol stores it in the field header's type.
    func boolValue(_ header: FieldHeader) -> Bool { header.type == .boolTrue }

    mutating func readListHeader() throws -> (count: Int, type: FieldType) {
        let byte = try readByte()
        // Some writers give empty lists element type 0.
        if byte == 0 { return (0, .byte) }
        guard let type = FieldType(rawValue: byte & 0x0f) else { throw error("unknown list element type") }
        var count = Int(byte >> 4)
        if count == 15 {
            let big = try readVarint()
            // Each element takes at least one byte, so a count beyond the remaining bytes is a lie.
            guard big <= UInt64(bytes.count &- position) else { throw error("list of \(big) elements is too long") }
            count = Int(big)
        }
        return (count, type)
    }

    mutating func skip(_ type: FieldType, depth: Int = 0) throws {
        guard depth < 64 else { throw error("structures nested too deeply") }
        switch type {
        case .boolTrue, .boolFalse, .byte:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            guard bytes.count &- position >= 8 else { throw error("unexpected end of data") }
            position &+= 8
        case .binary:
            _ = try readBinary()
        case .list, .set:
            let (count, elementType) = try readListHeader()
            for _ in 0..<count {
                // Booleans inside lists take one byte each.
                if elementType == .boolTrue || elementType == .boolFalse {
                    _ = try readByte()
                } else {
                    try skip(elementType, depth: depth + 1)
                }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(bytes.count &- position) else { throw error("map of \(count) entries is too long") }
            if count == 0 { return }
            let kinds = try readByte()
            guard let keyType = FieldType(rawValue: kinds >> 4), let valueType = FieldType(rawValue: kinds & 0x0f)
            else {
                throw error("unknown map element types")
            }
            for _ in 0..<count {
                try skip(keyType, depth: depth + 1)
                try skip(valueType, depth: depth + 1)
            }
        case .structure:
            beginStruct()
            while let field = try readFieldHeader() {
                if field.type == .boolTrue || field.type == .boolFalse { continue }
                try skip(field.type, depth: depth + 1)
            }
            endStruct()
        }
    }

    /// Skips a field's value, allowing for the compact protocol's in-header booleans.
    mutating func skipField(_ header: FieldHeader) throws {
        if header.type == .boolTrue || header.type == .boolFalse { return }
        try skip(header.type)
    }
}
