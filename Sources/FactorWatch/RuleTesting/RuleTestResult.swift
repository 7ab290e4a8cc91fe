/// The outcome of one test case.
public struct RuleTestResult: Sendable {
    public var file: String
    public var name: String
    public var location: SourceLocation
    public var stepsRun = 0
    public var failures: [StepFailure] = []
    /// The case could not run (an unreadable fixture, a state store error).
    public var error: String?

    public init(file: String, name: String, location: SourceLocation) {
        self.file = file
        self.name = name
        self.location = location
    }

    public var passed: Bool { failures.isEmpty && error == nil }

    /// `ok   NAME` or `FAIL NAME (file:line:column)` followed by an indented diff per failing step.
    public func text() -> String {
        guard !passed else { return "ok   \(name)" }
        var lines = ["FAIL \(name) (\(location))"]
        if let error { lines.append("  error: \(error)") }
        for failure in failures {
            lines.append("  step \(failure.step) at \(failure.at) (\(failure.location)):")
            lines += failure.comparison.diff().map { "    " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

/// A step whose alerts did not match its expectations.
public struct StepFailure: Sendable {
    public var step: Int
    public var at: String
    public var location: SourceLocation
    public var comparison: AlertComparison
}
