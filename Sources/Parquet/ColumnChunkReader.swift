/// What a caller wants decoded from each page.
enum ValueTarget {
    /// Levels only: enough to count nulls in columns whose values carry no statistics.
    case none
    case doubles
    case bytes
}

/// Scratch space reused across pages, chunks and columns so that decoding allocates per chunk at most.
final class DecodeBuffers {
    var chunk: [UInt8] = []
    /// Decompressed page bytes: raw memory that only grows, so no page pays for zero-filling.
    private var page = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var levels: [UInt32] = []
    var indices: [UInt32] = []
    var doubles: [Double] = []
    var dictionaryDoubles: [Double] = []
    var bytes = ByteArrayList()
    var dictionaryBytes = ByteArrayList()
    var integers: [Int64] = []
    var moreIntegers: [Int64] = []
    var suffixes = ByteArrayList()
    var splitScratch: [UInt8] = []

    deinit { page.deallocate() }

    func pageBuffer(size: Int) -> UnsafeMutableRawBufferPointer {
        if page.count < size {
            page.deallocate()
            page = .allocate(byteCount: size, alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: page[0..<size])
    }
}

/// One decoded page handed to the consumer: `rows` entries, of which `nonNull` have values (in
/// `buffers.doubles` or `buffers.bytes`); `hasLevels` says `buffers.levels` holds 1 (value) / 0 (null).
struct PageBatch {
    var rows: Int
    var nonNull: Int
    var hasLevels: Bool
}

/// Reads one column chunk: a single `pread` of its bytes, then page by page, with every size and
/// count checked against the chunk, the row group and the file.
struct ColumnChunkReader {
    let file: FileSource
    let column: ColumnSchema
    let chunk: FileMetadata.ColumnChunk
    let rowGroupRows: Int
    let footerStart: Int

    private func fail(_ error: ParquetError, at offset: Int) -> ParquetError {
        var located = error
        located.file = file.path
        located.column = column.name
        located.offset = offset &+ (error.offset ?? 0)
        return located
    }

    private func corrupt(_ message: String, at offset: Int) -> ParquetError {
        ParquetError(.corrupt, message, file: file.path, column: column.name, offset: offset)
    }

    func read(target: ValueTarget, buffers: DecodeBuffers, _ body: (PageBatch) throws -> Void) throws {
        if rowGroupRows == 0 { return }
        guard chunk.externalFile == nil else {
            throw ParquetError(
                .unsupported, "column chunk stored in another file", file: file.path, column: column.name)
        }
        guard let codec = Codec(rawValue: chunk.codec) else {
            throw ParquetError(
                .unsupported, "unknown codec \(chunk.codec) (supported: \(Codec.supportedNames))",
                file: file.path, column: column.name)
        }
        guard chunk.physicalType == column.physical.rawValue else {
            throw ParquetError(
                .corrupt, "chunk type \(chunk.physicalType) differs from the schema's",
                file: file.path, column: column.name)
        }
        var start = Int(clamping: chunk.dataPageOffset)
        if let dictionary = chunk.dictionaryPageOffset, dictionary > 0, dictionary < chunk.dataPageOffset {
            start = Int(clamping: dictionary)
        }
        let length = Int(clamping: chunk.totalCompressedSize)
        guard start >= 4, length >= 0, start <= footerStart, length <= footerStart - start else {
            throw corrupt("column chunk of \(length) bytes lies outside the data area (4..<\(footerStart))", at: start)
        }
        guard chunk.numValues == Int64(rowGroupRows) else {
            throw corrupt("column chunk holds \(chunk.numValues) values, its row group \(rowGroupRows) rows", at: start)
        }
        try file.read(offset: start, count: length, into: &buffers.chunk)
        var state = PageState()
        let chunkBytes = buffers.chunk
        try chunkBytes.withUnsafeBytes { raw in
            var position = 0
            while state.rowsSeen < rowGroupRows {
                guard position < raw.count else {
                    throw corrupt(
                        "column chunk ends after \(state.rowsSeen) of \(rowGroupRows) values", at: start + position)
                }
                let pageOffset = start + position
                let header: PageHeader
                do {
                    header = try PageHeader(parsing: UnsafeRawBufferPointer(rebasing: raw[position...]))
                } catch let error as ParquetError {
                    throw fail(error, at: pageOffset)
                }
                let bodyStart = position + header.headerLength
                guard header.compressedSize <= raw.count - bodyStart else {
                    throw corrupt(
                        "page of \(header.compressedSize) bytes runs past the end of its column chunk",
                        at: pageOffset)
                }
                let pageBody = UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + header.compressedSize)])
                do {
                    try decodePage(
                        header, pageBody, codec: codec, target: target, buffers: buffers,
                        state: &state, body)
                } catch let error as ParquetError where error.file.isEmpty {
                    throw fail(error, at: pageOffset)
                }
                position = bodyStart + header.compressedSize
            }
        }
    }

    struct PageState {
        var rowsSeen = 0
        var hasDictionary = false
        var dictionaryCount = 0
    }

    /// The largest uncompressed size a page of `values` values could honestly need. Fixed-width
    /// types are bounded by their width (plus generous room for levels and encodings); variable
    /// ones by a fixed ceiling tied to the file size, so a lying header cannot exhaust memory.
    private func sizeBound(values: Int) -> Int {
        if let width = column.physical.width(typeLength: column.typeLength) {
            let (perValue, o1) = width.multipliedReportingOverflow(by: 2)
            let (bytes, o2) = values.multipliedReportingOverflow(by: perValue &+ 4)
            return o1 || o2 ? 1 << 30 : min(1 << 30, bytes &+ 4096)
        }
        let (scaled, overflow) = file.size.multipliedReportingOverflow(by: 1024)
        return min(1 << 30, max(64 << 20, overflow ? Int.max : scaled))
    }

    private func decodePage(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, codec: Codec, target: ValueTarget,
        buffers: DecodeBuffers, state: inout PageState, _ consumer: (PageBatch) throws -> Void
    ) throws {
        guard let type = header.pageType, header.sawSubHeader || type == .indexPage else {
            return  // Unknown page types (and index pages) are skipped.
        }
        if type == .indexPage { return }
        try checkClaims(header, type, state)
        switch type {
        case .dictionaryPage:
            try decodeDictionary(header, body, codec: codec, target: target, buffers: buffers, state: &state)
        case .dataPage:
            try decodeDataPage(header, body, codec: codec, target: target, buffers: buffers, state: state, consumer)
            state.rowsSeen += header.numValues
        case .dataPageV2:
            try decodeDataPageV2(header, body, codec: codec, target: target, buffers: buffers, state: state, consumer)
            state.rowsSeen += header.numValues
        case .indexPage:
            return
        }
    }

    /// What a page header claims, bounded before anything is allocated for it.
    private func checkClaims(_ header: PageHeader, _ type: PageHeader.PageType, _ state: PageState) throws {
        if type == .dictionaryPage {
            // A dictionary may hold more entries than the row group has values (pandas categories and polars
            // enums keep unused ones), but each entry takes at least its width (4 bytes of length for byte
            // arrays) of the page, which bounds a lying header.
            let entryBytes = max(1, column.physical.width(typeLength: column.typeLength) ?? 4)
            guard header.numValues >= 0, header.numValues <= max(rowGroupRows, header.uncompressedSize / entryBytes)
            else {
                throw ParquetError.corrupt(
                    "dictionary of \(header.numValues) entries in a page of \(header.uncompressedSize) bytes")
            }
        } else if header.numValues > rowGroupRows - state.rowsSeen {
            throw ParquetError.corrupt(
                "page claims \(header.numValues) values, only \(rowGroupRows - state.rowsSeen) remain")
        }
        let limit = sizeBound(values: header.numValues)
        guard header.uncompressedSize <= limit else {
            throw ParquetError.corrupt(
                "page claims \(header.uncompressedSize) uncompressed bytes for \(header.numValues) values "
                    + "(limit \(limit))")
        }
    }

    /// A v1 data page: the whole page compressed, definition levels (length-prefixed RLE) before the values.
    private func decodeDataPage(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, codec: Codec, target: ValueTarget,
        buffers: DecodeBuffers, state: PageState, _ consumer: (PageBatch) throws -> Void
    ) throws {
        if target == .none && !column.isOptional {
            // Nothing to learn from the values: every row is present.
            try consumer(PageBatch(rows: header.numValues, nonNull: header.numValues, hasLevels: false))
            return
        }
        let page = try decompress(codec, body, size: header.uncompressedSize, buffers)
        var valuesStart = 0
        var nonNull = header.numValues
        if column.isOptional {
            guard header.definitionLevelEncoding == 3 else {
                throw ParquetError.unsupported(
                    "definition level encoding \(header.definitionLevelEncoding) (only RLE)")
            }
            guard page.count >= 4 else { throw ParquetError.corrupt("definition levels length missing") }
            let length = Int(UInt32(littleEndian: page.loadUnaligned(as: UInt32.self)))
            guard length <= page.count - 4 else {
                throw ParquetError.corrupt("definition levels of \(length) bytes run past the page")
            }
            nonNull = try decodeLevels(page, start: 4, end: 4 + length, count: header.numValues, buffers)
            valuesStart = 4 + length
        }
        let values = UnsafeRawBufferPointer(rebasing: page[valuesStart...])
        try decodeValues(header.encoding, values, count: nonNull, target: target, buffers: buffers, state: state)
        try consumer(PageBatch(rows: header.numValues, nonNull: nonNull, hasLevels: column.isOptional))
    }

    /// A v2 data page: levels stored uncompressed ahead of the (optionally compressed) values.
    private func decodeDataPageV2(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, codec: Codec, target: ValueTarget,
        buffers: DecodeBuffers, state: PageState, _ consumer: (PageBatch) throws -> Void
    ) throws {
        let levelBytes = header.repetitionLevelsByteLength &+ header.definitionLevelsByteLength
        guard levelBytes >= 0, levelBytes <= body.count else {
            throw ParquetError.corrupt("v2 levels of \(levelBytes) bytes exceed the page")
        }
        guard header.numNulls <= header.numValues else {
            throw ParquetError.corrupt("v2 page claims \(header.numNulls) nulls in \(header.numValues) values")
        }
        var nonNull = header.numValues - header.numNulls
        if column.isOptional {
            let levelStart = header.repetitionLevelsByteLength
            let counted = try decodeLevels(
                body, start: levelStart, end: levelBytes, count: header.numValues, buffers)
            guard counted == nonNull else {
                throw ParquetError.corrupt(
                    "v2 page says \(header.numNulls) nulls, its levels say \(header.numValues - counted)")
            }
        } else {
            nonNull = header.numValues
        }
        if target == .none {
            try consumer(PageBatch(rows: header.numValues, nonNull: nonNull, hasLevels: column.isOptional))
            return
        }
        let compressed = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
        let valueSize = header.uncompressedSize - levelBytes
        guard valueSize >= 0 else { throw ParquetError.corrupt("v2 page smaller than its levels") }
        let isCompressed = header.isCompressed && codec != .uncompressed && !compressed.isEmpty
        let values = try decompress(isCompressed ? codec : .uncompressed, compressed, size: valueSize, buffers)
        try decodeValues(header.encoding, values, count: nonNull, target: target, buffers: buffers, state: state)
        try consumer(PageBatch(rows: header.numValues, nonNull: nonNull, hasLevels: column.isOptional))
    }

    /// The page's uncompressed bytes: the chunk's own bytes when stored uncompressed (no copy), else
    /// the reusable page buffer, valid until the next call.
    private func decompress(
        _ codec: Codec, _ input: UnsafeRawBufferPointer, size: Int, _ buffers: DecodeBuffers
    ) throws -> UnsafeRawBufferPointer {
        if codec == .uncompressed {
            guard input.count == size else {
                throw ParquetError.corrupt("uncompressed page holds \(input.count) bytes, header says \(size)")
            }
            return input
        }
        let output = buffers.pageBuffer(size: size)
        try codec.decompress(input, into: output)
        return UnsafeRawBufferPointer(output)
    }

    /// Decodes flat definition levels (bit width 1) into `buffers.levels`; returns how many are set.
    private func decodeLevels(
        _ data: UnsafeRawBufferPointer, start: Int, end: Int, count: Int, _ buffers: DecodeBuffers
    ) throws -> Int {
        if buffers.levels.count < count {
            buffers.levels.append(contentsOf: repeatElement(0, count: count - buffers.levels.count))
        }
        var decoder = try HybridDecoder(data, start: start, end: end, bitWidth: 1)
        return try buffers.levels.withUnsafeMutableBufferPointer { levels in
            try decoder.decode(into: levels.baseAddress!, count: count)
            var set = 0
            for index in 0..<count {
                guard levels[index] <= 1 else {
                    throw ParquetError.corrupt("definition level \(levels[index]) above 1")
                }
                set &+= Int(levels[index])
            }
            return set
        }
    }

    private func decodeDictionary(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, codec: Codec, target: ValueTarget,
        buffers: DecodeBuffers, state: inout PageState
    ) throws {
        guard header.encoding == 0 || header.encoding == 2 else {
            throw ParquetError.unsupported("dictionary page encoding \(header.encoding) (only PLAIN)")
        }
        state.hasDictionary = true
        state.dictionaryCount = header.numValues
        let decoder = ValueDecoder(column: column)
        switch target {
        case .none:
            return
        case .doubles:
            let page = try decompress(codec, body, size: header.uncompressedSize, buffers)
            try decoder.plainDoubles(page, count: header.numValues, into: &buffers.dictionaryDoubles)
        case .bytes:
            let page = try decompress(codec, body, size: header.uncompressedSize, buffers)
            buffers.dictionaryBytes.removeAll()
            try decoder.plainBytes(page, count: header.numValues, into: &buffers.dictionaryBytes)
        }
    }
}
