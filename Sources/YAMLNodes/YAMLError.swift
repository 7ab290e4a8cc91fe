/// A problem in a YAML source, at a position a person can go to.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var file: String?
    public var line: Int
    public var column: Int

    public init(_ message: String, file: String? = nil, line: Int, column: Int) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public init(_ message: String, at mark: YAMLMark) {
        self.init(message, file: mark.file, line: mark.line, column: mark.column)
    }

    public var mark: YAMLMark { YAMLMark(file: file, line: line, column: column) }

    /// `rules/a.yaml:3:7: unknown key "sevrity", did you mean "severity"?`
    public var description: String {
        (file.map { $0 + ":" } ?? "") + "\(line):\(column): \(message)"
    }
}

extension YAMLNode {
    /// An error pointing at this node, for decoders' own checks.
    public func error(_ message: String) -> YAMLError { YAMLError(message, at: mark) }
}
