#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One alert instance as it passes the stages of one evaluation. Each stage fills in its own decision; none
/// rewrites another's.
struct AlertStep: Sendable {
    let rule: Rule
    /// The state stage's decision: the record after this evaluation and the transition that led to it.
    var record: AlertRecord
    let previous: AlertRecord?
    let transition: AlertStateMachine.Transition
    /// Why the rule could not observe the alert, when its state was kept unchanged; nil when observed.
    let unobserved: String?
    /// The mute stage's decision.
    var mute: MuteDecision = .none
    /// The acknowledge stage's decision: the acknowledgement that holds for this firing, if any.
    var acknowledgement: Acknowledgement?
    /// The silence that held it back at the previous evaluation and has ended since, if nothing mutes it now.
    var silenceEnded: Silence?
    /// The notify stage's decisions, one per channel of the alert's route, in route order.
    var decisions: [ChannelDecision] = []

    var key: AlertKey { record.key }
    /// A resolved alert is reported only in the evaluation it resolved in.
    var isReported: Bool { record.phase != .resolved || transition != .none }
}

/// The writes one evaluation makes, applied in its single transaction.
struct StateChanges {
    var saved: [AlertRecord] = []
    var deleted: [AlertKey] = []
    var history: [AlertTransition] = []
    var logged: [NotificationLogEntry] = []
    var held: [HeldNotice] = []
    /// Held notices that went into this evaluation's digests.
    var released: [Int64] = []

    func apply(to store: any EvaluationStore, memory: BufferedMemory?, digests: [Digest], now: Date) throws {
        for key in deleted { try store.delete(key) }
        for record in saved { try store.save(record) }
        for transition in history { try store.appendHistory(transition) }
        for entry in logged { try store.record(entry) }
        for digest in digests { _ = try store.enqueue(digest, at: now) }
        for notice in held { try store.hold(notice) }
        try store.release(released)
        for write in memory?.pendingWrites ?? [] {
            try store.setMemory(collector: write.collector, key: write.key, value: write.value)
        }
        let horizon = now.addingTimeInterval(-90 * 86_400)
        try store.pruneSent(before: horizon)
        try store.pruneHistory(before: horizon)
        try store.pruneRetained(before: horizon)
        try store.pruneAcknowledgements(before: horizon)
    }
}

/// Stage 1, state: evaluates each rule and steps each of its alerts through `AlertStateMachine`. Unknown is not
/// resolved: an alert a failed collector hid keeps its state untouched.
struct StateStage {
    let configuration: Configuration
    let plan: EvaluationPlan
    let previous: [AlertKey: AlertRecord]
    /// The failed collectors' messages, by collector.
    let failed: [String: String]
    let now: Date
    /// What range selectors read (the history stage's frame); nil when no rule reads the history.
    var history: HistoryFrame? = nil

    struct Outcome {
        var steps: [AlertStep] = []
        var changes = StateChanges()
        var ruleErrors: [RuleErrorReport] = []
    }

    func run(_ observations: [Observation]) -> Outcome {
        let inputs = RuleInputs(collectors: configuration.collectors, rules: configuration.rules)
        let index = ObservationIndex(observations)
        // Grouped once: a filter over every stored alert per rule is quadratic with thousands of each.
        let previousByRule = Dictionary(grouping: previous.keys, by: \.rule)
        var outcome = Outcome()
        for (rule, blindReason) in plan.rules {
            let run: RuleRun
            do {
                run = try RuleRun(rule: rule, index: index, observations: observations, now: now, failed: failed,
                                  blindReason: blindReason,
                                  blinds: { inputs.blindedRules(by: $0, in: configuration.rules) }, history: history)
            } catch {
                // The rule could not be evaluated: say so, and leave its alerts exactly as they were.
                outcome.ruleErrors.append(RuleErrorReport(rule: rule.name, message: error.message))
                continue
            }
            let keys = Set(run.samples.keys).union(previousByRule[rule.name] ?? [])
            for key in keys.sorted() {
                let severity = inputs.severity(of: rule, labels: key.labels)
                if let step = step(key, run, severity: severity, changes: &outcome.changes) {
                    outcome.steps.append(step)
                }
            }
        }
        return outcome
    }

    /// The alert's next record, with the writes it needs; nil when it has none any more.
    private func step(_ key: AlertKey, _ run: RuleRun, severity: Severity, changes: inout StateChanges)
        -> AlertStep? {
        let old = previous[key]
        let kept = old != nil && run.isUnobserved(key)
        let (next, transition): (AlertRecord?, AlertStateMachine.Transition) = kept
            ? (old, .none)
            : AlertStateMachine.step(previous: old, key: key, now: run.observation(for: key), rule: run.rule,
                                     severity: severity, at: now)
        guard var record = next else {
            if let old {
                changes.deleted.append(key)
                if transition == .abandoned { changes.history.append(transitionEntry(old, from: "pending", to: "inactive")) }
            }
            return nil
        }
        if kept {
            // Keep the text of the last observation.
        } else if record.phase != .resolved {
            record.summary = run.render(run.rule.summary, key: key, value: record.value)
            record.description = run.render(run.rule.description, key: key, value: record.value)
        } else if record.resolvedAt.map({ now.timeIntervalSince($0) > 86_400 }) ?? false {
            // Resolved long ago: the history table keeps it; the live table forgets it.
            changes.deleted.append(key)
            return nil
        }
        if transition != .none {
            changes.history.append(transitionEntry(record, from: old?.phase.rawValue ?? "inactive",
                                                   to: record.phase.rawValue))
        }
        // Only a change of state is written: a firing alert that stays as it was costs no write.
        if !record.sameState(as: old) { changes.saved.append(record) }
        return AlertStep(rule: run.rule, record: record, previous: old, transition: transition,
                         unobserved: kept ? run.blindReason ?? "" : nil)
    }

    private func transitionEntry(_ record: AlertRecord, from: String, to: String) -> AlertTransition {
        AlertTransition(at: now, key: record.key, from: from, to: to, severity: record.severity, value: record.value,
                        summary: record.summary)
    }
}
