/// Which collectors each rule reads, known from the metric names every collector declares (`metricNames`).
///
/// A rule reads a collector when its expression or its `clear` selects a metric that collector produces. When that
/// collector fails, the rule is blind: a series the rule no longer sees is unknown, not resolved, and keeps its
/// state. `collector_up` is produced by the runner for every collector and blinds nothing.
struct RuleInputs: Sendable {
    /// Metric name → the collectors (by `name`) that produce it.
    private let producers: [String: Set<String>]
    /// Collector name → the worst severity of the rules that read it.
    let worstReader: [String: Severity]

    init(collectors: [any Collector], rules: [Rule]) {
        var producers: [String: Set<String>] = [:]
        for collector in collectors {
            for metric in collector.metricNames { producers[metric, default: []].insert(collector.name) }
        }
        self.producers = producers
        var worst: [String: Severity] = [:]
        for rule in rules {
            for collector in RuleInputs.collectors(read: rule, producers: producers) {
                worst[collector] = max(worst[collector] ?? rule.severity, rule.severity)
            }
        }
        worstReader = worst
    }

    private static func collectors(read rule: Rule, producers: [String: Set<String>]) -> Set<String> {
        let metrics = rule.expression.selectedMetrics.union(rule.clear?.selectedMetrics ?? [])
        return metrics.reduce(into: Set<String>()) { $0.formUnion(producers[$1] ?? []) }
    }

    /// The collectors this rule reads.
    func collectors(read rule: Rule) -> Set<String> { RuleInputs.collectors(read: rule, producers: producers) }

    /// The failed collectors that blind `rule` in this evaluation, sorted.
    func blinding(_ rule: Rule, failed: Set<String>) -> [String] {
        collectors(read: rule).intersection(failed).sorted()
    }

    /// A rule over `collector_up` pages at least as loudly as the worst rule reading the collector it reports on.
    func severity(of rule: Rule, labels: Labels) -> Severity {
        guard rule.expression.selectedMetrics.contains("collector_up"), let collector = labels["collector"],
              let worst = worstReader[collector] else { return rule.severity }
        return max(rule.severity, worst)
    }

    /// The rules a failure of `collector` blinds, worst first, as the collector-failure alert names them.
    func blindedRules(by collector: String, in rules: [Rule]) -> String {
        rules.filter { collectors(read: $0).contains(collector) }
            .sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.name < $1.name }
            .map { "\($0.name) (\($0.severity.rawValue))" }
            .joined(separator: ", ")
    }
}
