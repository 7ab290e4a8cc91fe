/// The last lines of a stream, in bounded memory however much passes through.
struct OutputTail {
    let maxLines: Int
    let maxBytes: Int
    private var buffer: [UInt8] = []

    init(maxLines: Int, maxBytes: Int) {
        self.maxLines = max(0, maxLines)
        self.maxBytes = max(1, maxBytes)
        buffer.reserveCapacity(2 * self.maxBytes)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard maxLines > 0, !bytes.isEmpty else { return }
        if bytes.count >= maxBytes {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: bytes[(bytes.count - maxBytes)...])
            return
        }
        buffer.append(contentsOf: bytes)
        // Trim in batches so the cost per byte stays constant.
        if buffer.count > 2 * maxBytes { buffer.removeFirst(buffer.count - maxBytes) }
    }

    /// At most `maxLines` lines and `maxBytes` bytes, without a trailing newline; the first line may be cut
    /// short when the byte bound bites.
    var text: String {
        guard maxLines > 0 else { return "" }
        var bytes = buffer.suffix(maxBytes)
        if bytes.last == 0x0A { bytes = bytes.dropLast() }
        var start = bytes.endIndex
        var lines = 0
        while start > bytes.startIndex {
            let previous = bytes.index(before: start)
            if bytes[previous] == 0x0A {
                lines += 1
                if lines == maxLines { break }
            }
            start = previous
        }
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
