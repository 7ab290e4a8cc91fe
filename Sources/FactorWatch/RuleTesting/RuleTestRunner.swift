#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs rule test cases in memory: each case gets a private in-memory state store and recording channels, and
/// every step is one `Evaluator.evaluate` call, so state, `for`, de-duplication and repeat behave exactly as in
/// `eval`. Nothing touches a state file or the network.
public struct RuleTestRunner: Sendable {
    public let suite: RuleTestSuite

    public init(suite: RuleTestSuite) { self.suite = suite }

    public func run() -> [RuleTestResult] { suite.cases.map(run) }

    public func run(_ testCase: RuleTestCase) -> RuleTestResult {
        var result = RuleTestResult(file: suite.file, name: testCase.name, location: testCase.location)
        do {
            try runSteps(testCase, into: &result)
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    private func runSteps(_ testCase: RuleTestCase, into result: inout RuleTestResult) throws {
        var recorders: [String: RecordingChannel] = [:]
        for name in suite.channels { recorders[name] = RecordingChannel(name: name) }
        var configuration = Configuration(
            file: suite.file, zone: suite.zone, calendar: suite.calendar, statePath: ":memory:", host: "test",
            collectors: testCase.collectors, rules: suite.rules, routes: suite.routes, channels: recorders)
        configuration.inhibitRules = suite.inhibitRules
        configuration.labelRoutes = suite.labelRoutes
        let evaluator = Evaluator(configuration: configuration)
        let store = try StateStore(path: ":memory:")
        for silence in testCase.silences { _ = try store.add(silence) }
        try RuleTestHistoryEntry.install(testCase.history, into: store, calendar: suite.calendar, zone: suite.zone)

        for (index, step) in testCase.steps.enumerated() {
            let memory = BufferedMemory(values: try store.memoryValues())
            var observations: [Observation] = []
            var errors: [CollectorErrorReport] = []
            if !testCase.collectors.isEmpty {
                let context = CollectionContext(now: step.at, zone: suite.zone, calendar: suite.calendar,
                                                memory: memory)
                (observations, errors) = CollectorRunner.run(testCase.collectors, context: context)
            }
            observations += step.observations
            for error in step.errors {
                errors.append(error)
                let up = observations.firstIndex {
                    $0.metric == "collector_up" && $0.labels["collector"] == error.collector
                }
                if let up { observations[up].value = 0 } else {
                    observations.append(Observation("collector_up", ["collector": error.collector], 0))
                }
            }
            for request in step.acknowledgements {
                do {
                    for ack in try request.acknowledgements(of: try store.alerts(), now: step.at, zone: suite.zone) {
                        _ = try store.add(ack)
                    }
                } catch let problem as SilenceRequest.Problem {
                    result.error = "step \(index + 1): ack: \(problem)"
                    return
                }
            }
            let report = try evaluator.evaluate(observations: observations, errors: errors, store: store,
                                                memory: memory, now: step.at, dryRun: false)
            if !report.ruleErrors.isEmpty {
                // As promtool: a rule that cannot be evaluated fails the case, whatever was expected.
                result.error = "step \(index + 1): " + report.ruleErrors.map { "rule \($0.rule) failed: \($0.message)" }
                    .joined(separator: "; ")
                return
            }
            let digests = recorders.values.flatMap { $0.drain() }
            let actual = report.alerts.map { ActualAlert($0, digests: digests) }
            result.stepsRun += 1
            result.failures += checkFiring(step, index: index, alerts: report.alerts)
            guard let expected = step.expect else { continue }
            let comparison = AlertComparison(expected: expected, actual: actual)
            if !comparison.passed {
                result.failures.append(StepFailure(step: index + 1, at: Timestamp.format(step.at, in: suite.zone),
                                                   location: step.location, comparison: comparison))
            }
        }
    }
}

extension RuleTestRunner {
    /// The step's promtool-style checks: each compares one rule's firing alerts, labels with `severity` and
    /// every annotation, with what was expected.
    func checkFiring(_ step: RuleTestStep, index: Int, alerts: [AlertReport]) -> [StepFailure] {
        guard !step.checks.isEmpty else { return [] }
        let rules = Dictionary(suite.rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var failures: [StepFailure] = []
        for check in step.checks {
            let firing = alerts.filter { $0.rule == check.alert && $0.state == .firing }.map { report in
                ActualAlert(promtoolView: report, rule: rules[report.rule])
            }
            let comparison = AlertComparison(expected: check.expect, actual: firing)
            if !comparison.passed {
                failures.append(StepFailure(step: index + 1, at: Timestamp.format(step.at, in: suite.zone),
                                            location: check.location, comparison: comparison))
            }
        }
        return failures
    }
}

/// One alert as a test step saw it: the report's fields plus the channels that were sent a notice about it.
public struct ActualAlert: Sendable, CustomStringConvertible {
    public var report: AlertReport
    public var notified: [String]
    /// Every annotation by its Prometheus name, for the checks that compare them; nil otherwise.
    public var annotations: [String: String]?

    /// The alert as Prometheus shows it: its severity among its labels, its annotations rendered.
    init(promtoolView report: AlertReport, rule: Rule?) {
        var report = report
        report.labels["severity"] = report.severity.rawValue
        self.report = report
        notified = []
        var annotations = rule?.renderAnnotations(value: report.value, labels: report.labels) ?? [:]
        if rule?.summary != nil { annotations["summary"] = report.summary }
        if let description = rule?.description {
            annotations["description"] = description.render(value: report.value, labels: report.labels)
        }
        if let rule, !rule.runbook.isEmpty {
            annotations["runbook_url"] = rule.renderedRunbook(labels: report.labels, value: report.value)
        }
        self.annotations = annotations
    }

    init(_ report: AlertReport, digests: [Digest]) {
        self.report = report
        notified = digests.filter { digest in
            digest.alerts.contains { $0.rule == report.rule && $0.labels == report.labels }
        }.map(\.channel).sorted()
    }

    public var description: String {
        var text = "\(report.rule)\(report.labels) \(report.state.rawValue) \(report.severity.rawValue) "
            + "value=\(formatValue(report.value)) notify=[\(notified.joined(separator: ", "))]"
        if let by = report.suppressedBy { text += " suppressed_by=\(by)" }
        if let annotations { return "\(report.rule)\(report.labels) \(report.state.rawValue) "
            + "value=\(formatValue(report.value)) annotations=\(annotationText(annotations))" }
        if !report.summary.isEmpty { text += " summary=\"\(report.summary)\"" }
        return text
    }
}
