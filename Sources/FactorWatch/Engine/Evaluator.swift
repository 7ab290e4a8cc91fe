#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run of the pipeline: collect → evaluate → remember → dispatch. A dry run reads the state database but
/// never writes it, and renders the notifications instead of sending them.
public struct Evaluator: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// The cron entry point: takes the run lock, collects, evaluates, stores and delivers.
    public func run(now: Date, dryRun: Bool = false, rules filter: Set<String>? = nil,
                    acceptRuleChanges: Bool = false) throws -> EvaluationReport {
        if !dryRun { try makeParentDirectory(of: configuration.statePath) }
        let lock: RunLock? = dryRun ? nil : try RunLock(path: configuration.statePath + ".lock",
                                                        timeout: configuration.lockTimeout)
        defer { withExtendedLifetime(lock) {} }
        let store = try StateStore(path: configuration.statePath, readOnly: dryRun)
        let memory = BufferedMemory(values: try store.memoryValues())
        let context = CollectionContext(now: now, zone: configuration.zone, calendar: configuration.calendar,
                                        memory: memory)
        let collected = CollectorRunner.run(configuration.collectors, context: context,
                                            budget: configuration.collectorTimeout)
        return try evaluate(observations: collected.observations, errors: collected.errors, store: store,
                            memory: memory, now: now, dryRun: dryRun, rules: filter,
                            acceptRuleChanges: acceptRuleChanges)
    }

    /// Evaluates rules over given observations against `store`. `factorwatch test` calls this directly with an
    /// in-memory store.
    public func evaluate(observations: [Observation], errors collectorErrors: [CollectorErrorReport], store: StateStore,
                         memory: BufferedMemory? = nil, now: Date, dryRun: Bool,
                         rules filter: Set<String>? = nil, deliver: Bool = true,
                         acceptRuleChanges: Bool = false) throws -> EvaluationReport {
        let previous = try store.alerts()
        var errors = collectorErrors
        let log = try store.notificationLog()
        let silences = try store.silences().filter { $0.isActive(at: now) }
            + configuration.maintenance.compactMap { $0.silence(at: now, zone: configuration.zone) }
        let failed = Dictionary(errors.map { ($0.collector, $0.message) }, uniquingKeysWith: { a, b in a + "; " + b })
        let inputs = RuleInputs(collectors: configuration.collectors, rules: configuration.rules)
        let plan = EvaluationPlan(configuration: configuration, filter: filter, failed: Set(errors.map(\.collector)),
                                  previous: previous, memory: memory,
                                  acceptRuleChanges: acceptRuleChanges,
                                  undelivered: memory == nil ? nil : try UndeliveredNotices(store: store, now: now))
        let observations = observations + plan.observations

        var changes = StateChanges()
        var reports: [AlertReport] = []
        var notices: [String: [AlertNotice]] = [:]
        let index = ObservationIndex(observations)

        var ruleErrors: [RuleErrorReport] = []
        for (rule, blindReason) in plan.rules {
            let outcomes: RuleRun
            do {
                outcomes = try RuleRun(rule: rule, index: index, observations: observations, now: now, failed: failed,
                                       blindReason: blindReason,
                                       blinds: { inputs.blindedRules(by: $0, in: configuration.rules) })
            } catch {
                // The rule could not be evaluated: say so, and leave its alerts exactly as they were.
                ruleErrors.append(RuleErrorReport(rule: rule.name, message: error.message))
                continue
            }
            let keys = Set(outcomes.samples.keys).union(previous.keys.filter { $0.rule == rule.name })
            for key in keys.sorted() {
                // Unknown is not resolved: a series a failed collector hid keeps its state untouched.
                let kept = previous[key] != nil && outcomes.isUnobserved(key)
                let (record, transition): (AlertRecord?, AlertStateMachine.Transition) = kept
                    ? (previous[key], .none) : AlertStateMachine.step(
                    previous: previous[key], key: key, now: outcomes.observation(for: key), rule: rule,
                    severity: inputs.severity(of: rule, labels: key.labels), at: now)
                guard var record else {
                    if previous[key] != nil { changes.deleted.append(key) }
                    if transition == .abandoned {
                        changes.history.append((key, "pending", "inactive", previous[key]!))
                    }
                    continue
                }
                if kept {
                    // Keep the text of the last observation.
                } else if record.phase != .resolved {
                    record.summary = outcomes.render(rule.summary, key: key, value: record.value)
                    record.description = outcomes.render(rule.description, key: key, value: record.value)
                } else if record.resolvedAt.map({ now.timeIntervalSince($0) > 86_400 }) ?? false {
                    // Resolved long ago: the history table keeps it; the live table forgets it.
                    changes.deleted.append(key)
                    continue
                }
                if transition != .none {
                    changes.history.append((key, previous[key]?.phase.rawValue ?? "inactive", record.phase.rawValue,
                                            record))
                }
                if record != previous[key] { changes.saved.append(record) }

                let channels = UndeliveredNotices.channels(configuration.channels(for: rule, severity: record.severity),
                                                           rule: rule, labels: key.labels)
                let silence = silences.first { $0.matches(key) }
                var notified = false
                var suppressedBy: String?
                var reason = ""
                for channel in channels {
                    let last = log[StateStore.logKey(rule: key.rule, labelsKey: key.labels.key, channel: channel)]
                    let decision = NotificationPolicy.decide(
                        record, through: configuration.channels[channel], lastNotice: last,
                        repeatInterval: configuration.repeatInterval(for: rule, severity: record.severity),
                        notifyResolved: rule.notifyResolved, silence: silence, at: now)
                    switch decision {
                    case .notify(let why):
                        notified = true
                        reason = why.rawValue
                        notices[channel, default: []].append(notice(record, rule: rule, reason: why))
                        changes.logged.append(NotificationLogEntry(key: key, channel: channel, notifiedAt: now,
                                                                   severity: record.severity,
                                                                   resolved: why == .resolved))
                    case .deduplicated(let until):
                        suppressedBy = suppressedBy ?? "dedup"
                        if reason.isEmpty {
                            reason = "already notified; repeats after \(Timestamp.format(until, in: configuration.zone))"
                        }
                    case .silenced(let id):
                        suppressedBy = "silence"
                        let until = Timestamp.format(silence!.endsAt, in: configuration.zone)
                        reason = silence!.createdBy == MaintenanceWindow.author
                            ? "in \(silence!.comment) until \(until)" : "silenced by #\(id) until \(until)"
                    case .quiet:
                        break
                    }
                }
                if record.phase == .pending {
                    let fires = record.activeSince.addingTimeInterval(rule.forDuration)
                    reason = "pending since \(Timestamp.format(record.activeSince, in: configuration.zone)); "
                        + "fires at \(Timestamp.format(fires, in: configuration.zone)) if it still holds"
                }
                if kept && !notified {
                    reason = "not observed (\(blindReason ?? "")); state kept"
                }
                if record.phase == .resolved && transition == .none { continue }
                reports.append(AlertReport(
                    rule: rule.name, severity: record.severity, state: record.phase, labels: key.labels,
                    value: record.value, summary: record.summary, channels: channels, notify: notified,
                    suppressedBy: notified ? nil : suppressedBy, reason: reason, activeSince: record.activeSince))
            }
        }

        let digests = notices.keys.sorted().map { channel in
            Digest(channel: channel, host: configuration.host, createdAt: now, zone: configuration.zone.identifier,
                   alerts: notices[channel]!)
        }
        reports.sort { a, b in
            if a.state != b.state { return a.state == .firing }
            if a.severity != b.severity { return a.severity > b.severity }
            return AlertKey(rule: a.rule, labels: a.labels) < AlertKey(rule: b.rule, labels: b.labels)
        }

        var notifications: [NotificationReport] = []
        if dryRun {
            notifications = digests.map { configuration.report($0, status: .wouldSend, retry: false) }
            notifications += try store.dueOutbox(at: now).map {
                configuration.report($0.digest, status: .wouldSend, retry: true)
            }
        } else {
            let committed = try commit(store: store) {
                try changes.apply(to: store, memory: memory, digests: digests, now: now)
            }
            if !committed {
                // The state disk is full even without the reserve: deliver what can be, record nothing.
                notifications = Dispatcher(configuration: configuration, store: store)
                    .deliverUnrecorded(digests + (try store.dueOutbox(at: now).map(\.digest)), now: now)
                errors.append(CollectorErrorReport(collector: "state", message: "\(configuration.statePath): the "
                    + "disk is full, so this evaluation was not recorded; its notifications were sent and will be "
                    + "sent again until there is room. Free space on that file system."))
            } else if deliver {
                notifications = try Dispatcher(configuration: configuration, store: store).deliverDue(now: now)
            }
        }
        return EvaluationReport(evaluatedAt: now, zone: configuration.zone, dryRun: dryRun,
                                observations: observations, alerts: reports, notifications: notifications,
                                errors: errors, ruleErrors: ruleErrors,
                                undelivered: try UndeliveredNotices(store: store, now: now).entries.count)
    }

    private func notice(_ record: AlertRecord, rule: Rule, reason: NoticeReason) -> AlertNotice {
        AlertNotice(rule: rule.name, severity: record.severity, reason: reason, labels: record.key.labels,
                    value: record.value, summary: record.summary, description: record.description,
                    runbook: rule.renderedRunbook(labels: record.key.labels, value: record.value),
                    startsAt: record.firedAt ?? record.activeSince,
                    endsAt: record.phase == .resolved ? record.resolvedAt : nil,
                    annotations: rule.renderAnnotations(value: record.value, labels: record.key.labels))
    }

}

/// What one rule's expressions say in this evaluation.
private struct RuleRun {
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
         blindReason: String? = nil, blinds: @escaping (String) -> String = { _ in "" })
        throws(ExpressionEvaluationError)
    {
        self.rule = rule
        self.failed = failed
        self.blindReason = blindReason
        self.blinds = blinds
        let time = now.timeIntervalSince1970
        var samples: [AlertKey: Double] = [:]
        var annotations: [AlertKey: Labels] = [:]
        for sample in try rule.expression.evaluate(index, at: time) {
            let key = AlertKey(rule: rule.name, labels: RuleRun.merge(sample.labels.identity, rule.labels))
            if samples[key] == nil {
                samples[key] = sample.value
                annotations[key] = sample.labels.annotations
            }
        }
        self.samples = samples
        self.annotations = annotations
        cleared = Set((try rule.clear?.evaluate(index, at: time) ?? []).map {
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

/// The writes one evaluation makes, applied in its single transaction.
private struct StateChanges {
    var saved: [AlertRecord] = []
    var deleted: [AlertKey] = []
    var history: [(AlertKey, String, String, AlertRecord)] = []
    var logged: [NotificationLogEntry] = []

    func apply(to store: StateStore, memory: BufferedMemory?, digests: [Digest], now: Date) throws {
        for key in deleted { try store.delete(key) }
        for record in saved { try store.save(record) }
        for (key, from, to, record) in history {
            try store.appendHistory(key, from: from, to: to, severity: record.severity, value: record.value,
                                    summary: record.summary, at: now)
        }
        for entry in logged { try store.record(entry) }
        for digest in digests { _ = try store.enqueue(digest, at: now) }
        for write in memory?.pendingWrites ?? [] {
            try store.setMemory(collector: write.collector, key: write.key, value: write.value)
        }
        try store.pruneSent(before: now.addingTimeInterval(-90 * 86_400))
    }
}
