#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads promtool's rule test format (`rule_files`, `evaluation_interval`, `tests[].input_series`,
/// `tests[].alert_rule_test`) into a suite the ordinary runner runs: each test group is a case whose steps are
/// the evaluations from time 0 (the Unix epoch, as promtool has it) every `evaluation_interval` up to the last
/// `eval_time`, each seeing every input series through Prometheus' five-minute lookback.
enum PromtoolTestDecoder {
    static let fileKeys = ["rule_files", "evaluation_interval", "group_eval_order", "tests"]
    static let groupKeys = ["name", "interval", "input_series", "alert_rule_test", "promql_expr_test",
                            "external_labels", "external_url"]
    static let seriesKeys = ["series", "values"]
    static let alertTestKeys = ["eval_time", "alertname", "exp_alerts"]
    static let expectedAlertKeys = ["exp_labels", "exp_annotations"]

    /// A file is in promtool's format when its top level has `tests:` (factorwatch's own has `cases:`).
    static func isPromtoolFormat(_ root: ConfigNode) -> Bool {
        guard case .mapping(let entries) = root.value else { return false }
        return entries.contains { $0.key == "tests" } && !entries.contains { $0.key == "cases" }
    }

    static func decode(_ root: ConfigNode, file: String, decoder: NodeDecoder, base: RuleTestRoutes,
                       environment: [String: String]) -> RuleTestSuite? {
        let problems = decoder.problems
        guard let fields = decoder.fields(root, what: "promtool test file", allowed: fileKeys) else { return nil }
        let rules = RuleTestDecoder.decodeRules(fields.required("rule_files", problems), decoder,
                                                environment: environment)
        var evaluation: Double = 60
        if let node = fields["evaluation_interval"], let value = positiveDuration(node, "evaluation_interval", decoder) {
            evaluation = value
        }
        var cases: [RuleTestCase] = []
        if let node = fields.required("tests", problems), let groups = decoder.list(node, what: "tests") {
            for (number, group) in groups.enumerated() {
                if let decoded = decodeGroup(group, number: number + 1, evaluation: evaluation, decoder,
                                             rules: Set(rules.map(\.name))) {
                    cases.append(decoded)
                }
            }
            if groups.isEmpty { problems.error(node.location, "tests is empty; a test file needs at least one test") }
        }
        return RuleTestSuite(file: file, rules: rules, zone: .utc, calendar: .weekdays, routes: base.routes,
                             channels: base.channels, cases: cases)
    }

    private static func positiveDuration(_ node: ConfigNode, _ what: String, _ decoder: NodeDecoder) -> Double? {
        guard let value = PrometheusRuleCompatibility.duration(node, what: what, decoder) else { return nil }
        guard value > 0 else {
            decoder.problems.error(node.location, "\(what) must be longer than 0s")
            return nil
        }
        return value
    }

    private static func decodeGroup(_ node: ConfigNode, number: Int, evaluation: Double, _ decoder: NodeDecoder,
                                    rules: Set<String>) -> RuleTestCase? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "test \(number)", allowed: groupKeys) else { return nil }
        let name = f["name"].flatMap { decoder.string($0, what: "name") } ?? "test \(number)"
        for key in ["promql_expr_test", "external_labels", "external_url"] {
            if let unsupported = f[key], !isEmpty(unsupported) {
                problems.error(unsupported.location, "\(key) is not supported by factorwatch test; "
                               + "alert_rule_test is (run promtool for the rest)")
            }
        }
        let interval = f["interval"].flatMap { positiveDuration($0, "interval", decoder) } ?? evaluation
        let series = f["input_series"].flatMap { decoder.list($0, what: "input_series") }?
            .compactMap { decodeSeries($0, decoder) } ?? []
        let checks = f["alert_rule_test"].flatMap { decoder.list($0, what: "alert_rule_test") }?
            .compactMap { decodeAlertTest($0, decoder, rules: rules) } ?? []

        let last = checks.map(\.time).max() ?? 0
        var steps: [RuleTestStep] = []
        var time: Double = 0
        while time <= last {
            let observations = series.compactMap { item in
                item.value(at: time, interval: interval).map { Observation(item.metric, item.labels, $0) }
            }
            // promtool checks an eval_time against the last evaluation at or before it.
            let due = checks.filter { $0.time >= time && $0.time < time + evaluation }.map(\.check)
            steps.append(RuleTestStep(at: Date(timeIntervalSince1970: time), location: node.location,
                                      observations: observations, errors: [], expect: nil, checks: due))
            time += evaluation
        }
        return RuleTestCase(name: name, location: node.location, collectors: [], silences: [], steps: steps)
    }

    private static func isEmpty(_ node: ConfigNode) -> Bool {
        switch node.value {
        case .null: return true
        case .sequence(let items): return items.isEmpty
        case .mapping(let entries): return entries.isEmpty
        case .scalar: return false
        }
    }

    private static func decodeSeries(_ node: ConfigNode, _ decoder: NodeDecoder) -> PromtoolSeries? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "input series", allowed: seriesKeys),
              let seriesNode = f.required("series", problems),
              let text = decoder.string(seriesNode, what: "series") else { return nil }
        let parsed: Observation
        do {
            parsed = try ExpositionLine.parse(text + " 0")
        } catch {
            problems.error(RuleFileDecoder.offsetLocation(seriesNode, error.offset), "series: \(error.message)")
            return nil
        }
        var points: [PromtoolSeries.Point] = []
        if let valuesNode = f.required("values", problems), let values = decoder.string(valuesNode, what: "values") {
            do {
                points = try PromtoolSeries.points(values)
            } catch {
                problems.error(RuleFileDecoder.offsetLocation(valuesNode, error.offset), "values: \(error.message)")
                return nil
            }
        }
        return PromtoolSeries(metric: parsed.metric, labels: parsed.labels, points: points)
    }

    private static func decodeAlertTest(_ node: ConfigNode, _ decoder: NodeDecoder, rules: Set<String>)
        -> (time: Double, check: FiringCheck)? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "alert_rule_test", allowed: alertTestKeys),
              let timeNode = f.required("eval_time", problems),
              let time = PrometheusRuleCompatibility.duration(timeNode, what: "eval_time", decoder),
              let nameNode = f.required("alertname", problems),
              let alert = decoder.string(nameNode, what: "alertname") else { return nil }
        if !rules.contains(alert) {
            problems.error(nameNode.location, "no rule under test is named \"\(alert)\"; "
                           + suggestion(for: alert, in: rules.sorted()))
        }
        var expect: [AlertExpectation] = []
        for item in f["exp_alerts"].flatMap({ decoder.list($0, what: "exp_alerts") }) ?? [] {
            guard let e = decoder.fields(item, what: "expected alert", allowed: expectedAlertKeys) else { continue }
            var expectation = AlertExpectation(alert: alert, location: item.location)
            expectation.state = .firing
            var labels = Labels(stringMap(e["exp_labels"], "exp_labels", decoder))
            labels = labels.removing(["alertname"])  // promtool sets it from alertname
            expectation.labels = labels
            expectation.annotations = stringMap(e["exp_annotations"], "exp_annotations", decoder)
            expect.append(expectation)
        }
        return (time, FiringCheck(alert: alert, location: node.location, expect: expect))
    }

    private static func stringMap(_ node: ConfigNode?, _ what: String, _ decoder: NodeDecoder) -> [String: String] {
        guard let node, let entries = decoder.entries(node, what: what) else { return [:] }
        var map: [String: String] = [:]
        for entry in entries {
            if let value = decoder.string(entry.value, what: "\(what) \(entry.key)") { map[entry.key] = value }
        }
        return map
    }
}
