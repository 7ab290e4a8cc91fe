/// A text column as bytes: every row's bytes back to back, the end offset of each row, and which rows are null
/// (a null row is empty). Reading a million stock codes this way costs no String per row.
public struct ByteStrings: Sendable {
    public private(set) var storage: [UInt8] = []
    /// `ends[row]`: one past the row's last byte in `storage`.
    public private(set) var ends: [UInt32]
    public private(set) var isNull: [Bool]

    public var count: Int { ends.count }

    init(rows: Int) {
        ends = [UInt32](repeating: 0, count: rows)
        isNull = [Bool](repeating: false, count: rows)
    }

    /// The rows of `texts`, nil for null.
    public init(_ texts: [String?]) {
        self.init(rows: texts.count)
        for (row, text) in texts.enumerated() {
            if let text { storage.append(contentsOf: text.utf8) } else { isNull[row] = true }
            ends[row] = UInt32(truncatingIfNeeded: storage.count)
        }
    }

    public func start(_ row: Int) -> Int { row == 0 ? 0 : Int(ends[row - 1]) }

    /// The row's text; nil for null.
    public func string(_ row: Int) -> String? {
        if isNull[row] { return nil }
        return storage.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start(row)..<Int(ends[row])]), as: UTF8.self)
        }
    }

    /// One decoded page: `rows` rows from `row` on, the non-null ones' bytes in `values`.
    mutating func appendPage(_ values: ByteArrayList, rows: Int, levels: [UInt32]?, at row: Int) throws {
        guard storage.count + values.storage.count <= Int(UInt32.max) else {
            throw ParquetError.unsupported("a text column of more than 4 GiB")
        }
        let base = storage.count
        storage.append(contentsOf: values.storage)
        var next = 0, end = UInt32(truncatingIfNeeded: base)
        ends.withUnsafeMutableBufferPointer { ends in
            isNull.withUnsafeMutableBufferPointer { isNull in
                for offset in 0..<rows {
                    if levels == nil || levels![offset] == 1 {
                        end = UInt32(truncatingIfNeeded: base + values.ends[next])
                        next += 1
                    } else {
                        isNull[row + offset] = true
                    }
                    ends[row + offset] = end
                }
            }
        }
    }
}
