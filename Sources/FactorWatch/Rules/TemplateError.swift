/// A malformed summary/description template: what is wrong and where (0-based character offset).
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The complete message, including the 1-based column, e.g. `unclosed action "{{" at column 9`.
    public var message: String
    /// 0-based character offset inside the template text.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    static func at(_ offset: Int, _ what: String, _ hint: String? = nil) -> TemplateError {
        var text = "\(what) at column \(offset + 1)"
        if let hint { text += ", \(hint)" }
        return TemplateError(message: text, offset: offset)
    }

    public var description: String { message }
}
