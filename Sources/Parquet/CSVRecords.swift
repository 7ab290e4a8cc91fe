/// One field of a CSV record: its text (quotes removed) and where it starts, 1-based, the column counted in bytes.
public struct CSVField: Sendable, Equatable {
    public var text: String
    public var line: Int
    public var column: Int
}

/// A CSV file that is not well formed, with where.
public struct CSVSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// RFC 4180 records: commas, double quotes (`""` inside quotes is one quote, and a quoted field may span lines),
/// CRLF, CR or LF line ends, a leading UTF-8 byte order mark skipped. The one CSV reader of factor files and
/// trading calendars.
public enum CSVRecords {
    public static func parse(_ bytes: [UInt8]) throws(CSVSyntaxError) -> [[CSVField]] {
        var records: [[CSVField]] = []
        var record: [CSVField] = []
        var field: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1, column = 1
        var start = (line: 1, column: 1)
        var inQuotes = false, quote = (line: 1, column: 1)
        func endField() {
            record.append(CSVField(text: String(decoding: field, as: UTF8.self), line: start.line, column: start.column))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            column += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                        column += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { (line, column) = (line + 1, 1) }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inQuotes = true
                quote = (line, column - 1)
            case UInt8(ascii: ","):
                endField()
                start = (line, column)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if byte == UInt8(ascii: "\r") && index < bytes.count && bytes[index] == UInt8(ascii: "\n") {
                    index += 1
                }
                endField()
                records.append(record)
                record.removeAll(keepingCapacity: true)
                (line, column) = (line + 1, 1)
                start = (line, column)
            default:
                field.append(byte)
            }
        }
        if inQuotes {
            throw CSVSyntaxError(line: quote.line, column: quote.column,
                                 message: "quoted field starting here is never closed")
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}
