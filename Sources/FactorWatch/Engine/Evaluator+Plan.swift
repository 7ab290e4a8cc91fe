/// The rules one evaluation steps, each with why it cannot see (some of) its series, if it cannot.
struct EvaluationPlan {
    var rules: [(rule: Rule, blindReason: String?)] = []
    /// Observations the plan adds (vanished rule files).
    var observations: [Observation] = []

    /// Configured rules (or the `--rule` filter), then, on a full run, stand-ins for rules no file defines any more
    /// and the rule-file alert. `memory` holds the rule files of the last run and receives this run's.
    init(configuration: Configuration, filter: Set<String>?, failed: Set<String>, previous: [AlertKey: AlertRecord],
         memory: CollectorMemory?, acceptRuleChanges: Bool, undelivered: UndeliveredNotices?) {
        let inputs = RuleInputs(collectors: configuration.collectors, rules: configuration.rules)
        for rule in configuration.rules where filter?.contains(rule.name) ?? true {
            let blinding = inputs.blinding(rule, failed: failed)
            rules.append((rule, blinding.isEmpty ? nil : "collector \(blinding.joined(separator: ", ")) failed"))
        }
        guard filter == nil else { return }
        let defined = Set(configuration.rules.map(\.name))
        if let undelivered, !defined.contains(UndeliveredNotices.alertName) {
            rules.append((undelivered.alertRule(), nil))
            observations += undelivered.observations
        }
        var vanished: [String: String] = [:]
        if let memory {
            let fileGuard = RuleFileGuard(stored: memory.value(collector: RuleFileGuard.memoryCollector,
                                                               key: RuleFileGuard.memoryKey),
                                          rules: configuration.rules)
            if !acceptRuleChanges { vanished = fileGuard.vanishedRules(defined: defined) }
            memory.set(fileGuard.stored(accepting: acceptRuleChanges), collector: RuleFileGuard.memoryCollector,
                       key: RuleFileGuard.memoryKey)
            if !defined.contains(RuleFileGuard.alertName) {
                rules.append((fileGuard.alertRule(), nil))
                if !acceptRuleChanges { observations += fileGuard.observations }
            }
        }
        let orphans = Set(previous.keys.map(\.rule)).subtracting(defined).subtracting([RuleFileGuard.alertName])
        for name in orphans.sorted() {
            let severity = previous.values.filter { $0.key.rule == name }.map(\.severity).max() ?? .high
            let reason = vanished[name].map { "its rule file \($0) is gone" }
            rules.append((RuleFileGuard.standIn(named: name, severity: severity), reason))
        }
    }
}
