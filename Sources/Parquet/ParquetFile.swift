/// A Parquet file with a flat schema, read column by column without materialising the table.
///
/// Opening reads and validates only the footer. `statistics`, `readDoubles` and `readStrings` then
/// read the requested columns one column chunk at a time (one `pread` per chunk), decoding into
/// reusable buffers.
public struct ParquetFile: FactorTable {
    public let path: String
    public let rowCount: Int
    public let columns: [ColumnDescriptor]
    /// The writer named in the footer (`created_by`), if any.
    public let createdBy: String?

    private let source: FileSource
    private let schema: [ColumnSchema]
    private let rowGroups: [FileMetadata.RowGroup]
    private let footerStart: Int

    public init(path: String) throws {
        let source = try FileSource(path: path)
        self.path = path
        self.source = source
        guard source.size >= 12 else {
            throw ParquetError(.notParquet, "file of \(source.size) bytes is too short to be Parquet", file: path)
        }
        var buffer: [UInt8] = []
        try source.read(offset: 0, count: 4, into: &buffer)
        let head = buffer
        try source.read(offset: source.size - 8, count: 8, into: &buffer)
        let tail = Array(buffer[4..<8])
        if tail == Array("PARE".utf8) {
            throw ParquetError(
                .unsupported, "encrypted Parquet files are not supported", file: path, offset: source.size - 4)
        }
        guard head == Array("PAR1".utf8) else {
            throw ParquetError(
                .notParquet, "missing PAR1 magic at the start (found \(Self.hex(head)))", file: path, offset: 0)
        }
        guard tail == Array("PAR1".utf8) else {
            throw ParquetError(
                .notParquet, "missing PAR1 magic at the end (found \(Self.hex(tail))); truncated?",
                file: path, offset: source.size - 4)
        }
        let footerLength = Int(
            UInt32(buffer[0]) | UInt32(buffer[1]) << 8 | UInt32(buffer[2]) << 16 | UInt32(buffer[3]) << 24)
        guard footerLength <= source.size - 12 else {
            throw ParquetError(
                .corrupt, "footer length \(footerLength) exceeds the \(source.size)-byte file",
                file: path, offset: source.size - 8)
        }
        footerStart = source.size - 8 - footerLength
        try source.read(offset: footerStart, count: footerLength, into: &buffer)
        let metadata: FileMetadata
        do {
            metadata = try buffer.withUnsafeBytes { try FileMetadata(parsing: $0) }
        } catch let error as ParquetError {
            throw error.located(file: path, baseOffset: footerStart)
        }
        createdBy = metadata.createdBy
        (schema, columns) = try Self.flatSchema(metadata.schema, path: path)
        rowGroups = metadata.rowGroups
        var rows = 0
        // Rows decode into buffers sized by the row count, so a count no honest file of this size
        // could hold is rejected before anything is allocated for it.
        let rowLimit = Self.rowLimit(fileSize: source.size)
        for (index, group) in rowGroups.enumerated() {
            guard group.numRows >= 0, group.numRows <= Int64(rowLimit), rows <= rowLimit - Int(group.numRows) else {
                throw ParquetError(
                    .corrupt,
                    "row group \(index) claims \(group.numRows) rows (limit \(rowLimit) for a "
                        + "\(source.size)-byte file)", file: path)
            }
            guard group.columns.count == schema.count else {
                throw ParquetError(
                    .corrupt, "row group \(index) has \(group.columns.count) columns, schema \(schema.count)",
                    file: path)
            }
            for (chunk, column) in zip(group.columns, schema) where !chunk.hasMetadata {
                throw ParquetError(
                    .corrupt, "row group \(index) has no metadata for the chunk", file: path, column: column.name)
            }
            rows += Int(group.numRows)
        }
        guard metadata.numRows == Int64(rows) else {
            throw ParquetError(.corrupt, "footer says \(metadata.numRows) rows, row groups hold \(rows)", file: path)
        }
        rowCount = rows
    }

    /// At least 16M rows, else 64 per byte of file: far beyond any real table, small enough to allocate.
    static func rowLimit(fileSize: Int) -> Int {
        let (scaled, overflow) = fileSize.multipliedReportingOverflow(by: 64)
        return max(16 << 20, overflow ? Int.max / 2 : scaled)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    private static func flatSchema(
        _ elements: [FileMetadata.SchemaElement], path: String
    ) throws -> ([ColumnSchema], [ColumnDescriptor]) {
        guard let root = elements.first else { throw ParquetError(.corrupt, "footer has an empty schema", file: path) }
        guard Int(root.numChildren) == elements.count - 1 else {
            let nested: String = elements.dropFirst().first(where: { $0.numChildren > 0 })?.name ?? "?"
            throw ParquetError(
                .unsupported, "nested schemas are not supported (flat columns only)", file: path,
                column: nested)
        }
        var schema: [ColumnSchema] = []
        for (index, element) in elements.dropFirst().enumerated() {
            guard element.numChildren == 0, element.repetition != 2 else {
                throw ParquetError(
                    .unsupported, "nested or repeated columns are not supported (flat columns only)",
                    file: path, column: element.name)
            }
            do {
                schema.append(try ColumnSchema(index: index, element: element))
            } catch let error as ParquetError {
                throw error.located(file: path)
            }
        }
        return (schema, schema.map(\.descriptor))
    }

    private func schema(named name: String) throws -> ColumnSchema {
        guard let column = schema.first(where: { $0.name == name }) else {
            let names = schema.map(\.name).joined(separator: ", ")
            throw ParquetError(.unknownColumn, "no column \"\(name)\" (columns: \(names))", file: path)
        }
        return column
    }

    /// Visits every page of one column across all row groups.
    private func scan(
        _ column: ColumnSchema, target: ValueTarget, buffers: DecodeBuffers, _ body: (PageBatch) throws -> Void
    ) throws {
        for group in rowGroups {
            let reader = ColumnChunkReader(
                file: source, column: column, chunk: group.columns[column.index], rowGroupRows: Int(group.numRows),
                footerStart: footerStart)
            try reader.read(target: target, buffers: buffers, body)
        }
    }

    public func statistics(columns names: [String]? = nil) throws -> [ColumnStatistics] {
        let selected = try names.map { try $0.map(schema(named:)) } ?? schema
        let buffers = DecodeBuffers()
        return try selected.map { try statistics(of: $0, buffers: buffers) }
    }

    private func statistics(of column: ColumnSchema, buffers: DecodeBuffers) throws -> ColumnStatistics {
        var accumulator = StatisticsAccumulator()
        let summarised = column.isSummarised
        try scan(column, target: summarised ? .doubles : .none, buffers: buffers) { page in
            accumulator.addNulls(
                page.rows - page.nonNull, rows: summarised ? page.rows - page.nonNull : page.rows)
            if summarised {
                guard buffers.doubles.count >= page.nonNull else {
                    throw ParquetError(
                        .corrupt, "page decoded \(buffers.doubles.count) of \(page.nonNull) values", file: path,
                        column: column.name)
                }
                buffers.doubles.withUnsafeBufferPointer {
                    accumulator.add(UnsafeBufferPointer(rebasing: $0[0..<page.nonNull]))
                }
            }
        }
        var statistics = accumulator.statistics(name: column.name, typeName: column.typeName, isNumeric: summarised)
        statistics.isNumeric = column.isNumeric
        return statistics
    }

    /// One column as doubles, NaN for null. Integer, floating-point, boolean (0/1) and decimal
    /// columns qualify; dates and timestamps give their stored integers.
    public func readDoubles(column name: String) throws -> [Double] {
        let column = try schema(named: name)
        let buffers = DecodeBuffers()
        var filled = 0
        // Written in place, page by page: no append per value.
        let result = try [Double](unsafeUninitializedCapacity: rowCount) { output, count in
            defer { count = filled }
            try scan(column, target: .doubles, buffers: buffers) { page in
                guard buffers.doubles.count >= page.nonNull, max(page.rows, page.nonNull) <= rowCount - filled else {
                    throw ParquetError(
                        .corrupt, "page decoded \(buffers.doubles.count) of \(page.nonNull) values",
                        file: path, column: name)
                }
                buffers.doubles.withUnsafeBufferPointer { values in
                    guard page.hasLevels else {
                        (output.baseAddress! + filled).initialize(from: values.baseAddress!, count: page.nonNull)
                        return
                    }
                    buffers.levels.withUnsafeBufferPointer { levels in
                        var next = 0
                        for row in 0..<page.rows {
                            let present = levels[row] == 1
                            (output.baseAddress! + filled + row).initialize(to: present ? values[next] : .nan)
                            if present { next += 1 }
                        }
                    }
                }
                filled += page.hasLevels ? page.rows : page.nonNull
            }
        }
        guard result.count == rowCount else {
            throw ParquetError(.corrupt, "column holds \(result.count) of \(rowCount) rows", file: path, column: name)
        }
        return result
    }

    private func textSchema(named name: String) throws -> ColumnSchema {
        let column = try schema(named: name)
        guard column.physical == .byteArray || column.physical == .fixedLenByteArray else {
            throw ParquetError(
                .unsupported, "column of type \(column.typeName) is not a string column", file: path,
                column: name)
        }
        return column
    }

    /// One string column as bytes: no String per row (the stock codes of a million-row file).
    public func readByteStrings(column name: String) throws -> ByteStrings {
        let column = try textSchema(named: name)
        let buffers = DecodeBuffers()
        var result = ByteStrings(rows: rowCount)
        var row = 0
        try scan(column, target: .bytes, buffers: buffers) { page in
            guard buffers.bytes.count >= page.nonNull, page.rows <= rowCount - row else {
                throw ParquetError(
                    .corrupt, "page decoded \(buffers.bytes.count) of \(page.nonNull) values",
                    file: path, column: name)
            }
            try result.appendPage(buffers.bytes, rows: page.rows, levels: page.hasLevels ? buffers.levels : nil,
                                  at: row)
            row += page.rows
        }
        return result
    }

    /// One string (BYTE_ARRAY or fixed-length) column, nil for null; bytes are read as UTF-8.
    public func readStrings(column name: String) throws -> [String?] {
        let column = try textSchema(named: name)
        let buffers = DecodeBuffers()
        var result: [String?] = []
        result.reserveCapacity(rowCount)
        try scan(column, target: .bytes, buffers: buffers) { page in
            guard buffers.bytes.count >= page.nonNull else {
                throw ParquetError(
                    .corrupt, "page decoded \(buffers.bytes.count) of \(page.nonNull) values",
                    file: path, column: name)
            }
            var next = 0
            for row in 0..<page.rows {
                if !page.hasLevels || buffers.levels[row] == 1 {
                    result.append(buffers.bytes.string(next))
                    next += 1
                } else {
                    result.append(nil)
                }
            }
        }
        return result
    }
}
