/// DELTA_BINARY_PACKED integers, and the two byte-array encodings built on it.
/// Arithmetic wraps, as the format requires; widths and counts are checked against the input.
enum DeltaDecoder {
    /// Decodes `count` integers starting at `start`; returns the position just after them.
    static func decodeIntegers(
        _ data: UnsafeRawBufferPointer, start: Int, end: Int, count: Int, into output: inout [Int64]
    ) throws -> Int {
        var cursor = Cursor(data: data, position: start, end: end)
        let blockSize = try cursor.varint()
        let miniblocks = try cursor.varint()
        let total = try cursor.varint()
        var value = try cursor.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0, blockSize <= 1 << 20
        else {
            throw ParquetError.corrupt(
                "DELTA_BINARY_PACKED header is invalid (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total >= UInt64(count) else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(total) values, page needs \(count)")
        }
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(count)
        if count == 0 { return cursor.position }
        output.append(value)
        let perMiniblock = Int(blockSize / miniblocks)
        while output.count < count {
            let minDelta = try cursor.zigzag()
            let widthsStart = cursor.position
            try cursor.skip(Int(miniblocks))
            for miniblock in 0..<Int(miniblocks) where output.count < count {
                let width = Int(data[widthsStart + miniblock])
                guard width <= 64 else { throw ParquetError.corrupt("DELTA_BINARY_PACKED bit width \(width)") }
                let needed = min(perMiniblock, count - output.count)
                let fullBytes = perMiniblock * width / 8
                guard needed * width <= (cursor.end - cursor.position) * 8 else {
                    throw ParquetError.corrupt("DELTA_BINARY_PACKED miniblock runs past the end of the page")
                }
                var bitOffset = cursor.position * 8
                for _ in 0..<needed {
                    let delta = loadBits(data, bitOffset: bitOffset, width: width)
                    value = value &+ minDelta &+ Int64(bitPattern: delta)
                    output.append(value)
                    bitOffset += width
                }
                cursor.position += min(fullBytes, cursor.end - cursor.position)
            }
        }
        return cursor.position
    }

    /// DELTA_LENGTH_BYTE_ARRAY: all lengths first, then the bytes back to back.
    static func decodeLengthByteArrays(
        _ data: UnsafeRawBufferPointer, start: Int, end: Int, count: Int,
        lengths: inout [Int64], into output: inout ByteArrayList
    ) throws -> Int {
        var position = try decodeIntegers(data, start: start, end: end, count: count, into: &lengths)
        for length in lengths {
            guard length >= 0, length <= Int64(end - position) else {
                throw ParquetError.corrupt("byte array of length \(length) runs past the end of the page")
            }
            output.append(UnsafeRawBufferPointer(rebasing: data[position..<(position + Int(length))]))
            position += Int(length)
        }
        return position
    }

    /// DELTA_BYTE_ARRAY: prefix lengths, then suffixes as DELTA_LENGTH_BYTE_ARRAY; each value shares
    /// a prefix with the one before it.
    static func decodeByteArrays(
        _ data: UnsafeRawBufferPointer, start: Int, end: Int, count: Int,
        prefixes: inout [Int64], lengths: inout [Int64], suffixes: inout ByteArrayList, into output: inout ByteArrayList
    ) throws {
        let position = try decodeIntegers(data, start: start, end: end, count: count, into: &prefixes)
        suffixes.removeAll()
        _ = try decodeLengthByteArrays(
            data, start: position, end: end, count: count, lengths: &lengths, into: &suffixes)
        var previous: Range<Int> = 0..<0
        for index in 0..<count {
            let prefix = prefixes[index]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY prefix \(prefix) is longer than the previous value")
            }
            let start = output.storage.count
            output.storage.append(contentsOf: output.storage[previous.lowerBound..<(previous.lowerBound + Int(prefix))])
            output.storage.append(contentsOf: suffixes.storage[suffixes.range(index)])
            output.ends.append(output.storage.count)
            previous = start..<output.storage.count
        }
    }

    /// Reads `width` bits (≤ 64) LSB-first at `bitOffset`; the caller has checked the bounds.
    @inline(__always)
    static func loadBits(_ data: UnsafeRawBufferPointer, bitOffset: Int, width: Int) -> UInt64 {
        if width == 0 { return 0 }
        var result: UInt64 = 0
        var got = 0
        var byteIndex = bitOffset >> 3
        var shift = bitOffset & 7
        while got < width {
            let byte = UInt64(data[byteIndex]) >> UInt64(shift)
            result |= byte << UInt64(got)
            got += 8 - shift
            shift = 0
            byteIndex += 1
        }
        return width == 64 ? result : result & ((UInt64(1) << UInt64(width)) - 1)
    }

    struct Cursor {
        let data: UnsafeRawBufferPointer
        var position: Int
        let end: Int

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < end else { throw ParquetError.corrupt("DELTA header runs past the end of the page") }
                let byte = data[position]
                position += 1
                guard shift < 64 else { throw ParquetError.corrupt("DELTA varint longer than 10 bytes") }
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }

        mutating func zigzag() throws -> Int64 {
            let raw = try varint()
            return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        }

        mutating func skip(_ count: Int) throws {
            guard end - position >= count else { throw ParquetError.corrupt("DELTA block header runs past the end") }
            position += count
        }
    }
}
