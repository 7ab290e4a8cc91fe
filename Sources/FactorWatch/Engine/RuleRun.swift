#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one rule's expressions say in this evaluation.
struct RuleRun {
    let rule: Rule
    let samples: [AlertKey: Double]
    let cleared: Set<Labels>
    let presentMetrics: [Observation]
    let failed: [String: String]
    /// Each alert's annotation labels (`__date`, …), shown by its templates but not part of its identity.
    let annotations: [AlertKey: Labels]
    /// Why the rule cannot see all it reads (a failed collector, a vanished rule file), or nil.
    let blindReason: String?
    let blinds: (String) -> String

    init(rule: Rule, index: ObservationIndex, observations: [Observation], now: Date, failed: [String: String],
         blindReason: String? = nil, blinds: @escaping (String) -> String = { _ in "" }, history: HistoryFrame? = nil)
        throws(ExpressionEvaluationError)
    {
        self.rule = rule
        self.failed = failed
        self.blindReason = blindReason
        self.blinds = blinds
        let time = now.timeIntervalSince1970
        var samples: [AlertKey: Double] = [:]
        var annotations: [AlertKey: Labels] = [:]
        for sample in try rule.expression.evaluate(index, at: time, history: history) {
            let key = AlertKey(rule: rule.name, labels: RuleRun.merge(sample.labels.identity, rule.labels))
            if samples[key] == nil {
                samples[key] = sample.value
                annotations[key] = sample.labels.annotations
            }
        }
        self.samples = samples
        self.annotations = annotations
        cleared = Set((try rule.clear?.evaluate(index, at: time, history: history) ?? []).map {
            RuleRun.merge($0.labels.identity, rule.labels)
        })
        let metrics = rule.expression.selectedMetrics
        presentMetrics = rule.clear == nil && blindReason == nil ? [] : observations.filter { metrics.contains($0.metric) }
    }

    /// The rule is blind and nothing it selects describes this series now: what it would say is unknown.
    func isUnobserved(_ key: AlertKey) -> Bool {
        guard blindReason != nil, samples[key] == nil else { return false }
        return !isPresent(key)
    }

    private func isPresent(_ key: AlertKey) -> Bool {
        let own = key.labels.removing(rule.labels.map(\.name))
        return presentMetrics.contains { observation in
            own.allSatisfy { observation.labels[$0.name] == $0.value }
        }
    }

    static func merge(_ labels: Labels, _ extra: Labels) -> Labels {
        var merged = labels
        for label in extra { merged[label.name] = label.value }
        return merged
    }

    func observation(for key: AlertKey) -> AlertStateMachine.Observation {
        let value = samples[key]
        guard rule.clear != nil, value == nil else { return .init(value: value) }
        return .init(value: nil, clearHolds: cleared.contains(key.labels), present: isPresent(key))
    }

    func render(_ template: Template?, key: AlertKey, value: Double) -> String {
        guard let template else { return "" }
        var labels = key.labels
        if let collector = labels["collector"], let message = failed[collector], labels["error"] == nil {
            labels["error"] = message
        }
        if let collector = labels["collector"], labels["blinds"] == nil {
            let blinded = blinds(collector)
            labels["blinds"] = blinded.isEmpty ? "no rule" : blinded
        }
        for annotation in annotations[key] ?? Labels() where labels[annotation.name] == nil {
            labels[annotation.name] = annotation.value
        }
        return template.render(value: value, labels: labels)
    }
}
