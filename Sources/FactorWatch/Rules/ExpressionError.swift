/// A malformed rule expression or summary template: what is wrong and where (0-based character offset into the
/// text).
public struct RuleTextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The complete message, including the 1-based column, e.g.
    /// `unexpected ")" at column 14, expected an expression`.
    public var message: String
    /// 0-based character offset of the offending token inside the text.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// Builds a message of the form `<what> at column N[, <hint>]`.
    static func at(_ offset: Int, _ what: String, _ hint: String? = nil) -> RuleTextError {
        var text = "\(what) at column \(offset + 1)"
        if let hint { text += ", \(hint)" }
        return RuleTextError(message: text, offset: offset)
    }

    public var description: String { message }
}

/// Errors of the expression parser.
public typealias ExpressionError = RuleTextError
/// Errors of the template parser.
public typealias TemplateError = RuleTextError

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

/// An expression that parsed but cannot be evaluated over these observations, such as an ambiguous match
/// between two vectors. The rule's evaluation fails with it: a quietly smaller answer could hide an alert.
public struct ExpressionEvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// Two left-hand series meet the same right-hand one in one-to-one matching.
    static func multipleMatches(_ group: Labels) -> ExpressionEvaluationError {
        ExpressionEvaluationError("multiple matches for labels: many-to-one matching must be explicit "
            + "(group_left/group_right); match group \(group) has several left-hand series: aggregate them "
            + "or match on more labels")
    }

    /// Two right-hand series share a match group.
    static func duplicateSeries(_ group: Labels, _ one: Labels, _ other: Labels) -> ExpressionEvaluationError {
        ExpressionEvaluationError("found duplicate series for the match group \(group) on the right hand-side "
            + "of the operation: [\(one), \(other)]; many-to-many matching not allowed: matching labels must be "
            + "unique on one side")
    }
}
