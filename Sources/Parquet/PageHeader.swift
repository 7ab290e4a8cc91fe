/// One page header of a column chunk (Thrift PageHeader and its per-type sub-headers).
struct PageHeader {
    enum PageType: Int32 {
        case dataPage = 0
        case indexPage = 1
        case dictionaryPage = 2
        case dataPageV2 = 3
    }

    var type: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    var numValues = 0
    var numNulls = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = 3
    var definitionLevelsByteLength = 0
    var repetitionLevelsByteLength = 0
    var isCompressed = true
    var sawSubHeader = false
    /// Bytes the header itself took.
    var headerLength = 0

    var pageType: PageType? { PageType(rawValue: type) }

    init(parsing bytes: UnsafeRawBufferPointer) throws {
        var reader = ThriftCompactReader(bytes)
        reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): type = try reader.readI32()
            case (2, .i32): uncompressedSize = try reader.readCount("uncompressed page size")
            case (3, .i32): compressedSize = try reader.readCount("compressed page size")
            case (5, .structure):
                sawSubHeader = true
                try readSub(&reader) { reader, field in
                    switch (field.id, field.type) {
                    case (1, .i32): numValues = try reader.readCount("value count")
                    case (2, .i32): encoding = try reader.readI32()
                    case (3, .i32): definitionLevelEncoding = try reader.readI32()
                    default: try reader.skipField(field)
                    }
                }
            case (7, .structure):
                sawSubHeader = true
                try readSub(&reader) { reader, field in
                    switch (field.id, field.type) {
                    case (1, .i32): numValues = try reader.readCount("value count")
                    case (2, .i32): encoding = try reader.readI32()
                    default: try reader.skipField(field)
                    }
                }
            case (8, .structure):
                sawSubHeader = true
                try readSub(&reader) { reader, field in
                    switch (field.id, field.type) {
                    case (1, .i32): numValues = try reader.readCount("value count")
                    case (2, .i32): numNulls = try reader.readCount("null count")
                    case (4, .i32): encoding = try reader.readI32()
                    case (5, .i32): definitionLevelsByteLength = try reader.readCount("definition levels length")
                    case (6, .i32): repetitionLevelsByteLength = try reader.readCount("repetition levels length")
                    case (7, .boolTrue), (7, .boolFalse): isCompressed = reader.boolValue(field)
                    default: try reader.skipField(field)
                    }
                }
            default:
                try reader.skipField(field)
            }
        }
        reader.endStruct()
        headerLength = reader.position
    }

    private func readSub(
        _ reader: inout ThriftCompactReader,
        _ body: (inout ThriftCompactReader, ThriftCompactReader.FieldHeader) throws -> Void
    ) throws {
        reader.beginStruct()
        while let field = try reader.readFieldHeader() { try body(&reader, field) }
        reader.endStruct()
    }
}
