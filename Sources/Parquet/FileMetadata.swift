/// The parts of Parquet's FileMetaData (footer) that a flat-schema reader needs.
struct FileMetadata {
    struct SchemaElement {
        var physicalType: Int32?
        var typeLength: Int32?
        var repetition: Int32?
        var name = ""
        var numChildren: Int32 = 0
        var convertedType: Int32?
        var scale: Int32?
        var precision: Int32?
        var logicalType: LogicalType?
    }

    /// Parquet's LogicalType union, reduced to what naming a column's type requires.
    enum LogicalType {
        case string, enumeration, json, bson, uuid, float16, map, list, unknown
        case decimal(scale: Int32, precision: Int32)
        case date
        case time(unit: String)
        case timestamp(unit: String, utc: Bool)
        case integer(bitWidth: Int8, signed: Bool)
        case other(Int16)
    }

    struct ColumnChunk {
        var physicalType: Int32 = 0
        var codec: Int32 = 0
        var numValues: Int64 = 0
        var totalCompressedSize: Int64 = 0
        var dataPageOffset: Int64 = 0
        var dictionaryPageOffset: Int64?
        var path: [String] = []
        var hasMetadata = false
        var externalFile: String?
    }

    struct RowGroup {
        var columns: [ColumnChunk] = []
        var numRows: Int64 = 0
    }

    var schema: [SchemaElement] = []
    var numRows: Int64 = 0
    var rowGroups: [RowGroup] = []
    var createdBy: String?

    init(parsing bytes: UnsafeRawBufferPointer) throws {
        var reader = ThriftCompactReader(bytes)
        reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (2, .list):
                let (count, _) = try reader.readListHeader()
                schema.reserveCapacity(count)
                for _ in 0..<count { schema.append(try Self.readSchemaElement(&reader)) }
            case (3, .i64):
                numRows = try reader.readI64()
            case (4, .list):
                let (count, _) = try reader.readListHeader()
                rowGroups.reserveCapacity(count)
                for _ in 0..<count { rowGroups.append(try Self.readRowGroup(&reader)) }
            case (6, .binary):
                createdBy = try reader.readString()
            default:
                try reader.skipField(field)
            }
        }
        reader.endStruct()
    }

    private static func readSchemaElement(_ reader: inout ThriftCompactReader) throws -> SchemaElement {
        var element = SchemaElement()
        reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): element.physicalType = try reader.readI32()
            case (2, .i32): element.typeLength = try reader.readI32()
            case (3, .i32): element.repetition = try reader.readI32()
            case (4, .binary): element.name = try reader.readString()
            case (5, .i32): element.numChildren = try reader.readI32()
            case (6, .i32): element.convertedType = try reader.readI32()
            case (7, .i32): element.scale = try reader.readI32()
            case (8, .i32): element.precision = try reader.readI32()
            case (10, .structure): element.logicalType = try readLogicalType(&reader)
            default: try reader.skipField(field)
            }
        }
        reader.endStruct()
        return element
    }

    private static func readLogicalType(_ reader: inout ThriftCompactReader) throws -> LogicalType? {
        var result: LogicalType?
        reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            guard field.type == .structure else {
                try reader.skipField(field)
                continue
            }
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enumeration
            case 5:
                var scale: Int32 = 0
                var precision: Int32 = 0
                try readStruct(&reader) { reader, inner in
                    switch (inner.id, inner.type) {
                    case (1, .i32): scale = try reader.readI32()
                    case (2, .i32): precision = try reader.readI32()
                    default: try reader.skipField(inner)
                    }
                }
                result = .decimal(scale: scale, precision: precision)
                continue
            case 6: result = .date
            case 7, 8:
                var utc = false
                var unit = "?"
                try readStruct(&reader) { reader, inner in
                    switch (inner.id, inner.type) {
                    case (1, .boolTrue), (1, .boolFalse): utc = reader.boolValue(inner)
                    case (2, .structure): unit = try readTimeUnit(&reader)
                    default: try reader.skipField(inner)
                    }
                }
                result = field.id == 7 ? .time(unit: unit) : .timestamp(unit: unit, utc: utc)
                continue
            case 10:
                var width: Int8 = 64
                var signed = true
                try readStruct(&reader) { reader, inner in
                    switch (inner.id, inner.type) {
                    case (1, .byte): width = Int8(bitPattern: try reader.readByte())
                    case (2, .boolTrue), (2, .boolFalse): signed = reader.boolValue(inner)
                    default: try reader.skipField(inner)
                    }
                }
                result = .integer(bitWidth: width, signed: signed)
                continue
            case 11: result = .unknown
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = .other(field.id)
            }
            try reader.skip(.structure)
        }
        reader.endStruct()
        return result
    }

    private static func readTimeUnit(_ reader: inout ThriftCompactReader) throws -> String {
        var unit = "?"
        try readStruct(&reader) { reader, inner in
            switch inner.id {
            case 1: unit = "ms"
            case 2: unit = "us"
            case 3: unit = "ns"
            default: break
            }
            try reader.skipField(inner)
        }
        return unit
    }

    /// Reads a struct's fields through `body`, which must consume (or skip) each field's value.
    private static func readStruct(
        _ reader: inout ThriftCompactReader,
        _ body: (inout ThriftCompactReader, ThriftCompactReader.FieldHeader) throws -> Void
    ) throws {
        reader.beginStruct()
        while let field = try reader.readFieldHeader() { try body(&reader, field) }
        reader.endStruct()
    }

    private static func readRowGroup(_ reader: inout ThriftCompactReader) throws -> RowGroup {
        var group = RowGroup()
        try readStruct(&reader) { reader, field in
            switch (field.id, field.type) {
            case (1, .list):
                let (count, _) = try reader.readListHeader()
                group.columns.reserveCapacity(count)
                for _ in 0..<count { group.columns.append(try readColumnChunk(&reader)) }
            case (3, .i64): group.numRows = try reader.readI64()
            default: try reader.skipField(field)
            }
        }
        return group
    }

    private static func readColumnChunk(_ reader: inout ThriftCompactReader) throws -> ColumnChunk {
        var chunk = ColumnChunk()
        try readStruct(&reader) { reader, field in
            switch (field.id, field.type) {
            case (1, .binary): chunk.externalFile = try reader.readString()
            case (3, .structure):
                chunk.hasMetadata = true
                try readColumnMetadata(&reader, into: &chunk)
            default: try reader.skipField(field)
            }
        }
        return chunk
    }

    private static func readColumnMetadata(_ reader: inout ThriftCompactReader, into chunk: inout ColumnChunk) throws {
        try readStruct(&reader) { reader, field in
            switch (field.id, field.type) {
            case (1, .i32): chunk.physicalType = try reader.readI32()
            case (3, .list):
                let (count, _) = try reader.readListHeader()
                for _ in 0..<count { chunk.path.append(try reader.readString()) }
            case (4, .i32): chunk.codec = try reader.readI32()
            case (5, .i64): chunk.numValues = try reader.readI64()
            case (7, .i64): chunk.totalCompressedSize = try reader.readI64()
            case (9, .i64): chunk.dataPageOffset = try reader.readI64()
            case (11, .i64): chunk.dictionaryPageOffset = try reader.readI64()
            default: try reader.skipField(field)
            }
        }
    }
}
