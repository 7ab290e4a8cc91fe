/// `check --format json`: whether the configuration is valid, each problem, the libcurl in use, and (when valid)
/// the route each rule's alerts take.
public struct CheckJSON: Encodable {
    public init(valid: Bool, problems: [ConfigProblem], libcurl: String? = nil, configuration: Configuration? = nil) {
        self.valid = valid
        self.problems = problems.map(ProblemJSON.init)
        self.libcurl = libcurl
        routes = configuration.map { configuration in
            configuration.rules.map {
                RouteJSON(rule: $0.name, severity: $0.severity.rawValue, route: configuration.routing(of: $0))
            }
        }
    }

    public func json() -> String { encodeJSON(self) }

    var valid: Bool
    var problems: [ProblemJSON]
    var libcurl: String?
    var routes: [RouteJSON]?

    struct RouteJSON: Encodable {
        var rule: String
        var severity: String
        /// `Configuration.routing(of:)`: the label routes tried, then the severity route.
        var route: [String]
    }
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
