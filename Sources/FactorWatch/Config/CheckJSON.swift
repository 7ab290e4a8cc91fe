/// `check --format json`: whether the configuration is valid, each problem, and the libcurl in use.
public struct CheckJSON: Encodable {
    public init(valid: Bool, problems: [ConfigProblem], libcurl: String? = nil) {
        self.valid = valid
        self.problems = problems.map(ProblemJSON.init)
        self.libcurl = libcurl
    }

    public func json() -> String { encodeJSON(self) }

    var valid: Bool
    var problems: [ProblemJSON]
    var libcurl: String?
}

struct ProblemJSON: Encodable {
    var file: String
    var line: Int
    var column: Int
    var severity: String
    var message: String

    init(_ problem: ConfigProblem) {
        file = problem.file
        line = problem.line
        column = problem.column
        severity = problem.isWarning ? "warning" : "error"
        message = problem.message
    }
}
