import ArgumentParser
import FactorWatch

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule unit tests: observations per evaluation time and the alerts expected.",
        discussion: """
            Each case runs in memory (no state database, no network) with de-duplication and repeat applied \
            across its steps exactly as eval applies them. Exit 0 all passed; 1 a case failed; 2 a test file \
            is malformed (every problem printed as file:line:column: message). A file in promtool's format (a \
            top-level tests: with input_series and alert_rule_test) runs as promtool test rules runs it. See the \
            README, "Tuning thresholds".
            """)

    @Argument(help: ArgumentHelp("Rule test files (YAML).", valueName: "file"))
    var files: [String]

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp(
        "The configuration whose routes and channels the tests use. Default: $FACTORWATCH_CONFIG, else the nearest "
            + "factorwatch.yaml in a test file's directory or above it, else the built-in routes.", valueName: "path"))
    var config: String?

    @Flag(name: .long, help: "Use the built-in routes (critical: email, sms; high, medium: email; low: log).")
    var builtinRoutes = false

    /// The configuration's routes for `file`, unless told otherwise or there is none.
    func baseRoutes(for file: String, _ environment: [String: String], cache: inout [String: RuleTestRoutes])
        throws -> RuleTestRoutes {
        if builtinRoutes { return .builtin }
        guard let path = config ?? environment["FACTORWATCH_CONFIG"] ?? nearestConfiguration(above: file) else {
            return .builtin
        }
        if let known = cache[path] { return known }
        do {
            let routes = RuleTestRoutes(try ConfigLoader.load(path: path, environment: environment).configuration)
            cache[path] = routes
            return routes
        } catch {
            say(problemsOf: error)
            say(.testRoutesUnusable(configuration: path))
            throw ExitCode(2)
        }
    }

    /// The closest `factorwatch.yaml` in the file's directory or one of its parents.
    func nearestConfiguration(above file: String) -> String? {
        var directory = absolutePath(file)
        while let slash = directory.lastIndex(of: "/") {
            directory = String(directory[..<slash])
            let candidate = directory + "/factorwatch.yaml"
            if (try? FileSystem.status(candidate))?.kind == .regular { return candidate }
        }
        return nil
    }

    func run() throws {
        let environment = currentEnvironment()
        var cache: [String: RuleTestRoutes] = [:]
        var origins: [String] = []
        var malformed = false
        var passed = 0, failed = 0
        var fileReports: [TestFileJSON] = []
        for file in files {
            let base = try baseRoutes(for: file, environment, cache: &cache)
            if !origins.contains(base.origin) { origins.append(base.origin) }
            let suite: RuleTestSuite
            do {
                suite = try RuleTestDecoder.load(file: file, environment: environment, base: base)
            } catch {
                malformed = true
                say(problemsOf: error)
                fileReports.append(TestFileJSON(file: file, problems: error.problems.map(\.description), cases: []))
                if format == .text { output("BAD  \(file): malformed test file") }
                continue
            }
            var cases: [TestCaseJSON] = []
            for result in RuleTestRunner(suite: suite).run() {
                if result.passed { passed += 1 } else { failed += 1 }
                if format == .text { output(result.text().replacingFirst("ok   ", "ok   \(file): ")
                                              .replacingFirst("FAIL ", "FAIL \(file): ")) }
                cases.append(TestCaseJSON(result))
            }
            fileReports.append(TestFileJSON(file: file, problems: [], cases: cases))
        }
        switch format {
        case .text:
            output("\(passed + failed) cases: \(passed) passed, \(failed) failed"
                   + (malformed ? "; malformed test files" : "") + " (routes: \(origins.joined(separator: ", ")))")
        case .json:
            output(TestRunJSON(passed: passed, failed: failed, routes: origins, files: fileReports).json())
        }
        if malformed { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }
}

private extension String {
    func replacingFirst(_ prefix: String, _ replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
