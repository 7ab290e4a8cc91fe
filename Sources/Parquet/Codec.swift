import CCodecs

/// Page compression codecs (Parquet's CompressionCodec), decompressed through Debian's C libraries.
///
/// Every decompressor writes into a caller-sized buffer and must produce exactly the size the page
/// header promised: output is never grown, so a lying header cannot make the reader allocate more.
enum Codec: Int32 {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case hadoopLZ4 = 5
    case zstd = 6
    case lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .hadoopLZ4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    static let supportedNames = "UNCOMPRESSED, SNAPPY, GZIP, BROTLI, LZ4, ZSTD, LZ4_RAW"

    /// Decompresses `input` into `output`, which has exactly the expected size.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let expected = output.count
        if expected == 0 && self != .uncompressed { return }
        let produced: Int
        switch self {
        case .uncompressed:
            guard input.count == expected else { throw sizeError(input.count, expected) }
            if expected > 0 { output.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: expected) }
            return
        case .snappy:
            produced = try snappy(input, output)
        case .gzip:
            produced = try gzip(input, output)
        case .zstd:
            produced = try zstd(input, output)
        case .lz4Raw:
            produced = try lz4Block(input, output)
        case .hadoopLZ4:
            produced = try hadoopLZ4(input, output)
        case .brotli:
            produced = try brotli(input, output)
        case .lzo:
            throw ParquetError.unsupported("codec LZO is not supported (supported: \(Self.supportedNames))")
        }
        guard produced == expected else { throw sizeError(produced, expected) }
    }

    private func sizeError(_ produced: Int, _ expected: Int) -> ParquetError {
        .corrupt("\(name) page decompressed to \(produced) bytes, header says \(expected)")
    }

    private func failure(_ detail: String) -> ParquetError {
        .corrupt("\(name) decompression failed: \(detail)")
    }

    private func snappy(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress?.assumingMemoryBound(to: CChar.self) else { throw failure("empty input") }
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            throw failure("bad length header")
        }
        guard length == output.count else { throw sizeError(length, output.count) }
        if length == 0 { return 0 }
        var capacity = output.count
        let target = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard snappy_uncompress(source, input.count, target, &capacity) == SNAPPY_OK else {
            throw failure("invalid data")
        }
        return capacity
    }

    private func zstd(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress else { throw failure("empty input") }
        let target = output.baseAddress ?? UnsafeMutableRawPointer(mutating: source)
        let result = ZSTD_decompress(target, output.count, source, input.count)
        if ZSTD_isError(result) != 0 {
            throw failure(String(cString: ZSTD_getErrorName(result)))
        }
        return result
    }

    private func lz4Block(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress, input.count <= Int(Int32.max), output.count <= Int(Int32.max) else {
            throw failure("empty or oversized input")
        }
        if output.count == 0 { return 0 }
        let result = LZ4_decompress_safe(
            source.assumingMemoryBound(to: CChar.self), output.baseAddress!.assumingMemoryBound(to: CChar.self),
            Int32(input.count), Int32(output.count))
        guard result >= 0 else { throw failure("invalid block") }
        return Int(result)
    }

    /// Hadoop's framing: repeated [u32 BE decompressed size][u32 BE compressed size][LZ4 block].
    /// Some old writers emitted a bare LZ4 block under this codec id; fall back to that.
    private func hadoopLZ4(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        if let produced = try? hadoopFramed(input, output) { return produced }
        return try lz4Block(input, output)
    }

    private func hadoopFramed(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        var read = 0
        var written = 0
        while read < input.count {
            guard input.count - read >= 8 else { throw failure("truncated frame header") }
            let rawSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: read, as: UInt32.self)))
            let packedSize = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: read + 4, as: UInt32.self)))
            read += 8
            guard packedSize <= input.count - read, rawSize <= output.count - written else {
                throw failure("frame sizes exceed the page")
            }
            let produced = try lz4Block(
                UnsafeRawBufferPointer(rebasing: input[read..<(read + packedSize)]),
                UnsafeMutableRawBufferPointer(rebasing: output[written..<(written + rawSize)]))
            guard produced == rawSize else { throw failure("frame size mismatch") }
            read += packedSize
            written += rawSize
        }
        return written
    }

    /// zlib with gzip/zlib header detection; concatenated gzip members are decoded one after another.
    private func gzip(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress, let target = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        else { throw failure("empty page") }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("zlib init")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = target
        stream.avail_out = uInt(output.count)
        while true {
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                // Another member may follow; trailing zero padding is tolerated.
                let remaining = Int(stream.avail_in)
                if remaining == 0 || !hasMoreMembers(stream.next_in, remaining) { break }
                guard inflateReset(&stream) == Z_OK else { throw failure("zlib reset") }
                continue
            }
            if status == Z_OK { continue }
            if status == Z_BUF_ERROR && stream.avail_out == 0 {
                throw failure("data expands beyond the \(output.count) bytes the page header allows")
            }
            throw failure("zlib status \(status)")
        }
        return output.count - Int(stream.avail_out)
    }

    private func hasMoreMembers(_ pointer: UnsafeMutablePointer<Bytef>?, _ count: Int) -> Bool {
        guard let pointer else { return false }
        for index in 0..<count where pointer[index] != 0 { return true }
        return false
    }

    private func brotli(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let source = input.baseAddress, let target = output.baseAddress else { throw failure("empty page") }
        var size = output.count
        let result = BrotliDecoderDecompress(
            input.count, source.assumingMemoryBound(to: UInt8.self), &size, target.assumingMemoryBound(to: UInt8.self))
        guard result == BROTLI_DECODER_RESULT_SUCCESS else { throw failure("invalid or oversized data") }
        return size
    }
}
