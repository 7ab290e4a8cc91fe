/// Parquet's RLE / bit-packed hybrid encoding, used for definition levels, dictionary indices and
/// RLE booleans. Works on a bounded byte range; every run is checked against the remaining input.
struct HybridDecoder {
    let data: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int
    let bitWidth: Int

    init(_ data: UnsafeRawBufferPointer, start: Int, end: Int, bitWidth: Int) throws {
        guard bitWidth >= 0, bitWidth <= 32 else { throw ParquetError.corrupt("bit width \(bitWidth) exceeds 32") }
        self.data = data
        self.position = start
        self.end = min(end, data.count)
        self.bitWidth = bitWidth
    }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ParquetError.corrupt("RLE run header runs past the end of its data") }
            let byte = data[position]
            position &+= 1
            guard shift < 64 else { throw ParquetError.corrupt("RLE run header longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift &+= 7
        }
    }

    /// Decodes exactly `count` values into `output`.
    mutating func decode(into output: UnsafeMutablePointer<UInt32>, count: Int) throws {
        var filled = 0
        let mask: UInt64 = bitWidth == 0 ? 0 : (UInt64(1) << UInt64(bitWidth)) &- 1
        while filled < count {
            let header = try readVarint()
            if header & 1 == 0 {
                let runLength = header >> 1
                let valueBytes = (bitWidth + 7) / 8
                guard end &- position >= valueBytes else {
                    throw ParquetError.corrupt("RLE run value runs past the end")
                }
                var value: UInt32 = 0
                for index in 0..<valueBytes { value |= UInt32(data[position &+ index]) << UInt32(8 * index) }
                position &+= valueBytes
                let take = Int(min(runLength, UInt64(count &- filled)))
                (output + filled).initialize(repeating: value, count: take)
                filled &+= take
            } else {
                let groups = header >> 1
                guard groups <= UInt64(Int32.max) else { throw ParquetError.corrupt("bit-packed run too long") }
                let values = Int(groups) &* 8
                let byteLength = Int(groups) &* bitWidth
                let available = min(byteLength, end &- position)
                let take = min(values, count &- filled)
                guard take &* bitWidth <= available &* 8 else {
                    throw ParquetError.corrupt("bit-packed run of \(values) values runs past the end of its data")
                }
                if bitWidth == 1 {
                    // Definition levels: unpack a byte at a time.
                    let target = output + filled
                    for index in 0..<take {
                        target[index] = UInt32((data[position &+ (index >> 3)] >> UInt8(index & 7)) & 1)
                    }
                    filled &+= take
                    position &+= available
                    continue
                }
                var accumulator: UInt64 = 0
                var bits = 0
                var cursor = position
                for index in 0..<take {
                    while bits < bitWidth {
                        accumulator |= UInt64(data[cursor]) << UInt64(bits)
                        cursor &+= 1
                        bits &+= 8
                    }
                    output[filled &+ index] = UInt32(truncatingIfNeeded: accumulator & mask)
                    accumulator >>= UInt64(bitWidth)
                    bits &-= bitWidth
                }
                filled &+= take
                position &+= available
            }
        }
    }
}
