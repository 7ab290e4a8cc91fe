/// A malformed rule expression: what is wrong and where (0-based character offset into the expression).
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The complete message, including the 1-based column, e.g.
    /// `unexpected ")" at column 14, expected an expression`.
    public var message: String
    /// 0-based character offset of the offending token inside the expression text.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// Builds a message of the form `<what> at column N[, <hint>]`.
    static func at(_ offset: Int, _ what: String, _ hint: String? = nil) -> ExpressionError {
        var text = "\(what) at column \(offset + 1)"
        if let hint { text += ", \(hint)" }
        return ExpressionError(message: text, offset: offset)
    }

    public var description: String { message }
}

/// 1-based line and column of a character offset, for expressions and templates written over several lines
/// (YAML block scalars): the configuration reader adds them to where the text starts in its file.
public func textPosition(of offset: Int, in source: String) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for (index, character) in source.enumerated() {
        if index == offset { break }
        if character.isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }
    return (line, column)
}
