extension ColumnChunkReader {
    /// Decodes `count` non-null values of one page into `buffers.doubles` or `buffers.bytes`.
    func decodeValues(
        _ encoding: Int32, _ data: UnsafeRawBufferPointer, count: Int, target: ValueTarget,
        buffers: DecodeBuffers, state: PageState
    ) throws {
        let decoder = ValueDecoder(column: column)
        if target == .none { return }
        if target == .bytes { buffers.bytes.removeAll() }
        switch encoding {
        case 0:
            if target == .doubles {
                try decoder.plainDoubles(data, count: count, into: &buffers.doubles)
            } else {
                try decoder.plainBytes(data, count: count, into: &buffers.bytes)
            }
        case 2, 8:
            guard state.hasDictionary else {
                throw ParquetError.corrupt("dictionary-encoded page without a dictionary")
            }
            try decodeIndices(data, count: count, dictionaryCount: state.dictionaryCount, buffers: buffers)
            if target == .doubles {
                gatherDoubles(count: count, buffers: buffers)
            } else {
                for index in 0..<count {
                    let range = buffers.dictionaryBytes.range(Int(buffers.indices[index]))
                    buffers.bytes.storage.append(contentsOf: buffers.dictionaryBytes.storage[range])
                    buffers.bytes.ends.append(buffers.bytes.storage.count)
                }
            }
        case 3:
            try decodeRLEBooleans(data, count: count, target: target, buffers: buffers)
        case 5:
            guard column.physical == .int32 || column.physical == .int64 else {
                throw ParquetError.unsupported("DELTA_BINARY_PACKED for \(column.physical.name) values")
            }
            _ = try DeltaDecoder.decodeIntegers(data, start: 0, end: data.count, count: count, into: &buffers.integers)
            guard target == .doubles else { throw decoder.notNumeric() }
            convertIntegers(buffers)
        case 6:
            guard target == .bytes else { throw decoder.notNumeric() }
            _ = try DeltaDecoder.decodeLengthByteArrays(
                data, start: 0, end: data.count, count: count, lengths: &buffers.integers, into: &buffers.bytes)
        case 7:
            try decodeDeltaByteArrays(data, count: count, target: target, buffers: buffers)
        case 9:
            var doubles: [Double]? = target == .doubles ? buffers.doubles : nil
            var bytes: ByteArrayList? = target == .bytes ? buffers.bytes : nil
            if target == .doubles { buffers.doubles = [] } else { buffers.bytes = ByteArrayList() }
            try decoder.byteStreamSplit(
                data, count: count, scratch: &buffers.splitScratch, doubles: &doubles, bytes: &bytes)
            if let doubles { buffers.doubles = doubles }
            if let bytes { buffers.bytes = bytes }
        default:
            throw ParquetError.unsupported(
                "encoding \(encoding) (supported: PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY, RLE, DELTA_BINARY_PACKED, "
                    + "DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT)")
        }
    }

    /// RLE-encoded booleans (4 bytes of length, then the hybrid runs), as 0 and 1.
    private func decodeRLEBooleans(
        _ data: UnsafeRawBufferPointer, count: Int, target: ValueTarget, buffers: DecodeBuffers
    ) throws {
        let decoder = ValueDecoder(column: column)
        guard column.physical == .boolean else {
            throw ParquetError.unsupported("RLE encoding for \(column.physical.name) values")
        }
        guard data.count >= 4 else { throw ParquetError.corrupt("RLE boolean length missing") }
        let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
        guard length <= data.count - 4 else { throw ParquetError.corrupt("RLE booleans run past the page") }
        try ensureIndices(count, buffers)
        var hybrid = try HybridDecoder(data, start: 4, end: 4 + length, bitWidth: 1)
        try buffers.indices.withUnsafeMutableBufferPointer {
            try hybrid.decode(into: $0.baseAddress!, count: count)
        }
        guard target == .doubles else { throw decoder.notNumeric() }
        buffers.doubles.removeAll(keepingCapacity: true)
        for index in 0..<count { buffers.doubles.append(Double(buffers.indices[index])) }
    }

    /// DELTA_BYTE_ARRAY values as bytes, or as doubles for a decimal column.
    private func decodeDeltaByteArrays(
        _ data: UnsafeRawBufferPointer, count: Int, target: ValueTarget, buffers: DecodeBuffers
    ) throws {
        let decoder = ValueDecoder(column: column)
        try DeltaDecoder.decodeByteArrays(
            data, start: 0, end: data.count, count: count, prefixes: &buffers.integers,
            lengths: &buffers.moreIntegers, suffixes: &buffers.suffixes, into: &buffers.bytes)
        if target == .doubles {
            guard column.decimalScale != nil else { throw decoder.notNumeric() }
            var packed: [UInt8] = []
            for index in 0..<count {
                let range = buffers.bytes.range(index)
                var length = UInt32(range.count).littleEndian
                withUnsafeBytes(of: &length) { packed.append(contentsOf: $0) }
                packed.append(contentsOf: buffers.bytes.storage[range])
            }
            let plain = ValueDecoder(column: byteArrayView)
            try packed.withUnsafeBytes { try plain.plainDoubles($0, count: count, into: &buffers.doubles) }
        }
    }

    /// The same column seen as BYTE_ARRAY, for decimals delivered by DELTA_BYTE_ARRAY.
    private var byteArrayView: ColumnSchema {
        var view = column
        view.physical = .byteArray
        return view
    }

    private func ensureIndices(_ count: Int, _ buffers: DecodeBuffers) throws {
        if buffers.indices.count < count {
            buffers.indices.append(contentsOf: repeatElement(0, count: count - buffers.indices.count))
        }
    }

    /// One byte of bit width, then hybrid-encoded indices, each checked against the dictionary.
    private func decodeIndices(
        _ data: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int, buffers: DecodeBuffers
    ) throws {
        guard count > 0 else { return }
        guard !data.isEmpty else { throw ParquetError.corrupt("dictionary indices missing") }
        try ensureIndices(count, buffers)
        var hybrid = try HybridDecoder(data, start: 1, end: data.count, bitWidth: Int(data[0]))
        try buffers.indices.withUnsafeMutableBufferPointer { indices in
            try hybrid.decode(into: indices.baseAddress!, count: count)
            var largest: UInt32 = 0
            for index in 0..<count { largest = max(largest, indices[index]) }
            guard Int(largest) < dictionaryCount else {
                throw ParquetError.corrupt(
                    "dictionary index \(largest) out of range (dictionary has \(dictionaryCount) entries)")
            }
        }
    }

    private func gatherDoubles(count: Int, buffers: DecodeBuffers) {
        if buffers.doubles.count != count {
            buffers.doubles.removeAll(keepingCapacity: true)
            buffers.doubles.append(contentsOf: repeatElement(0, count: count))
        }
        buffers.dictionaryDoubles.withUnsafeBufferPointer { dictionary in
            buffers.indices.withUnsafeBufferPointer { indices in
                buffers.doubles.withUnsafeMutableBufferPointer { output in
                    for index in 0..<count { output[index] = dictionary[Int(indices[index])] }
                }
            }
        }
    }

    private func convertIntegers(_ buffers: DecodeBuffers) {
        buffers.doubles.removeAll(keepingCapacity: true)
        let unsigned = column.typeName.hasPrefix("u")
        var divisor = 1.0
        for _ in 0..<min(column.decimalScale ?? 0, 400) { divisor *= 10 }
        for value in buffers.integers {
            let number: Double
            if column.physical == .int32 {
                let narrow = Int32(truncatingIfNeeded: value)
                number = unsigned ? Double(UInt32(bitPattern: narrow)) : Double(narrow)
            } else {
                number = unsigned ? Double(UInt64(bitPattern: value)) : Double(value)
            }
            buffers.doubles.append(number / divisor)
        }
    }
}
