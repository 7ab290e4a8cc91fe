import YAMLNodes

/// One thing wrong (or suspicious) in the configuration, printed as `file:line:column: message`.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var isWarning: Bool

    public init(file: String, line: Int, column: Int, message: String, isWarning: Bool = false) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.isWarning = isWarning
    }

    public init(_ location: SourceLocation, _ message: String, isWarning: Bool = false) {
        self.init(file: location.file, line: location.line, column: location.column, message: message,
                  isWarning: isWarning)
    }

    public var description: String { "\(file):\(line):\(column): \(isWarning ? "warning: " : "")\(message)" }
}

/// The configuration cannot be used; every problem found, in file order.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Collects problems while decoding, so `check` reports all of them at once.
final class ProblemList {
    private(set) var items: [ConfigProblem] = []

    func error(_ location: SourceLocation, _ message: String) {
        items.append(ConfigProblem(location, message))
    }

    func warning(_ location: SourceLocation, _ message: String) {
        items.append(ConfigProblem(location, message, isWarning: true))
    }

    var errors: [ConfigProblem] { items.filter { !$0.isWarning } }
    var warnings: [ConfigProblem] { items.filter(\.isWarning) }
}

/// The candidate a mistyped `word` most likely meant, if one is close enough (the one suggestion rule of factorwatch).
public func nearestName(to word: String, among candidates: [String]) -> String? {
    Suggestion.closest(to: word, among: candidates)
}

/// "did you mean …?" or the list of valid choices.
func suggestion(for word: String, in candidates: [String]) -> String {
    if let match = Suggestion.closest(to: word, among: candidates) { return "did you mean \"\(match)\"?" }
    return "expected one of: " + candidates.joined(separator: ", ")
}
