/// `factorwatch test --format json`: the run's counts and every file's cases.
public struct TestRunJSON: Encodable {
    public init(passed: Int, failed: Int, routes: [String], files: [TestFileJSON]) {
        self.passed = passed
        self.failed = failed
        self.routes = routes
        self.files = files
    }

    public func json() -> String { encodeJSON(self) }

    public var passed: Int
    public var failed: Int
    /// The configuration files whose routes the tests used, or "built-in".
    public var routes: [String]
    public var files: [TestFileJSON]
}

public struct TestFileJSON: Encodable {
    public init(file: String, problems: [String], cases: [TestCaseJSON]) {
        self.file = file
        self.problems = problems
        self.cases = cases
    }

    public var file: String
    public var problems: [String]
    public var cases: [TestCaseJSON]
}

public struct TestCaseJSON: Encodable {
    public var name: String
    public var passed: Bool
    public var error: String?
    public var failures: [Failure]

    public struct Failure: Encodable {
        public var step: Int
        public var at: String
        public var location: String
        public var diff: [String]
    }

    public init(_ result: RuleTestResult) {
        name = result.name
        passed = result.passed
        error = result.error
        failures = result.failures.map {
            Failure(step: $0.step, at: $0.at, location: $0.location.description, diff: $0.comparison.diff())
        }
    }
}
