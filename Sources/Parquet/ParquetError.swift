/// Every failure of the reader: what went wrong, and where (file, column, byte offset) so that a
/// damaged factor file can be found and examined without a debugger.
public struct ParquetError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case io
        case notParquet
        case corrupt
        case unsupported
        case unknownColumn
    }

    public var kind: Kind
    public var message: String
    public var file: String
    public var column: String?
    public var offset: Int?

    public init(_ kind: Kind, _ message: String, file: String = "", column: String? = nil, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.column = column
        self.offset = offset
    }

    public var description: String {
        var text = file.isEmpty ? "" : "\(file): "
        if let column { text += "column \"\(column)\": " }
        if let offset { text += "at byte \(offset): " }
        return text + message
    }

    /// The same error with the file/column/offset filled in where the thrower did not know them.
    func located(file: String, column: String? = nil, baseOffset: Int? = nil) -> ParquetError {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        if copy.column == nil { copy.column = column }
        // Offsets thrown while parsing a buffer are relative to it; nil means "at the buffer's start".
        if let base = baseOffset { copy.offset = base &+ (copy.offset ?? 0) }
        return copy
    }

    static func corrupt(_ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError(.corrupt, message, offset: offset)
    }

    static func unsupported(_ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError(.unsupported, message, offset: offset)
    }
}
