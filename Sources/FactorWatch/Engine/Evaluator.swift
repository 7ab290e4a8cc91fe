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
        let store = try StateStore(path: configuration.statePath, readOnly: dryRun,
                                   busyTimeout: configuration.lockTimeout)
        // Job runs a wrapper had to keep aside reach job_runs before the jobs collector reads it; one that cannot
        // be read is the jobs' failure (their alerts keep their state), never skipped in silence.
        var spoolErrors: [CollectorErrorReport] = []
        if !dryRun {
            let spool = JobRunSpool(statePath: configuration.statePath)
            let pending = spool.pending()
            try spool.record(pending.runs, into: store)
            spoolErrors = pending.unreadable.map { path in
                CollectorErrorReport(collector: "jobs", message: "\(path): a job run kept aside cannot be read; "
                                     + "look at it, then move it out of the spool")
            }
        }
        let memory = try BufferedMemory(store: store, statePath: configuration.statePath)
        let context = CollectionContext(now: now, zone: configuration.zone, calendar: configuration.calendar,
                                        memory: memory)
        let collected = CollectorRunner.run(configuration.collectors, context: context,
                                            budget: configuration.collectorTimeout)
        let report = try evaluate(observations: collected.observations, errors: collected.errors + spoolErrors,
                                  store: store,
                                  memory: memory, now: now, dryRun: dryRun, rules: filter,
                                  acceptRuleChanges: acceptRuleChanges)
        if !dryRun { memory.saveSamples(statePath: configuration.statePath) }
        return report
    }

    /// Evaluates rules over given observations against `store`: the stages state → mute → notify → digests →
    /// report, then one transaction and delivery. `factorwatch test` calls this directly with an in-memory store.
    public func evaluate(observations: [Observation], errors collectorErrors: [CollectorErrorReport], store: some EvaluationStore,
                         memory: BufferedMemory? = nil, now: Date, dryRun: Bool,
                         rules filter: Set<String>? = nil, deliver: Bool = true,
                         acceptRuleChanges: Bool = false) throws -> EvaluationReport {
        let previous = try store.alerts()
        let plan = EvaluationPlan(configuration: configuration, filter: filter,
                                  failed: Set(collectorErrors.map(\.collector)), previous: previous, memory: memory,
                                  acceptRuleChanges: acceptRuleChanges,
                                  undelivered: memory == nil ? nil : try UndeliveredNotices(store: store, now: now))
        let observations = observations + plan.observations
        let failed = Dictionary(collectorErrors.map { ($0.collector, $0.message) }, uniquingKeysWith: { $0 + "; " + $1 })

        let history = HistoryStage(configuration: configuration)
        var stateStage = StateStage(configuration: configuration, plan: plan, previous: previous, failed: failed, now: now)
        stateStage.history = try history.frame(store: store, observations: observations, now: now)
        var state = stateStage.run(observations)
        let lifecycle = SilenceLifecycle(silences: try store.silences(), memory: memory, now: now)
        let digests = try decideNotices(&state, store: store, lifecycle: lifecycle, now: now)
        let alerts = ReportStage(configuration: configuration).reports(state.steps)
        let unmatched = lifecycle.endedUnmatched(alerts: state.steps.map(\.key))
        lifecycle.remember(alerts: state.steps.map(\.key), in: memory)

        var errors = collectorErrors
        let notifications = try record(state.changes, digests: digests, store: store, memory: memory, now: now,
                                       dryRun: dryRun, deliver: deliver, errors: &errors)
        if !dryRun, let problem = history.record(observations: observations, notifications: notifications,
                                                 store: store, now: now) {
            errors.append(CollectorErrorReport(collector: "history", message: problem))
        }
        var report = EvaluationReport(evaluatedAt: now, zone: configuration.zone, dryRun: dryRun,
                                      observations: observations, alerts: alerts, notifications: notifications,
                                      errors: errors, ruleErrors: state.ruleErrors,
                                      undelivered: try UndeliveredNotices(store: store, now: now).entries.count)
        report.unmatchedSilences = unmatched
        return report
    }

    /// The stages between state and report, alert by alert: mute (inhibition, silences) → acknowledge → notify
    /// (de-duplication, repeat, escalation) → schedule (digests, quiet hours); then the digests of what is due.
    private func decideNotices(_ state: inout StateStage.Outcome, store: any EvaluationStore, lifecycle: SilenceLifecycle,
                               now: Date) throws -> [Digest] {
        let mute = MuteStage(silences: try activeSilences(store, at: now), inhibitRules: configuration.inhibitRules,
                             firing: state.steps.filter { $0.record.phase == .firing }.map(\.key))
        let acknowledgements = try store.acknowledgements()
        let acknowledge = AcknowledgeStage(acknowledgements: acknowledgements, now: now)
        let notify = NotifyStage(configuration: configuration, log: try store.notificationLog(), now: now)
        let schedule = ScheduleStage(configuration: configuration, now: now)
        for index in state.steps.indices {
            var step = state.steps[index]
            step.mute = mute.decide(step)
            if step.mute == .none, step.record.phase == .firing {
                step.silenceEnded = lifecycle.endedSilence(over: step.key)
            }
            step.acknowledgement = acknowledge.decide(step)
            step.decisions = notify.decide(step)
            step.decisions = schedule.decide(step)
            state.steps[index] = step
        }
        state.changes.logged = state.steps.flatMap(notify.logEntries)
        let digest = DigestStage(configuration: configuration, now: now, acknowledgements: acknowledgements)
        let released = try store.heldNotices(dueBy: now)
        state.changes.held = digest.held(state.steps)
        state.changes.released = released.map(\.id)
        return digest.digests(state.steps, released: released)
    }

    /// The silences in force at `now`: stored ones and open maintenance windows.
    private func activeSilences(_ store: SilenceStore, at now: Date) throws -> [Silence] {
        try store.silences().filter { $0.isActive(at: now) }
            + configuration.maintenance.compactMap { $0.silence(at: now, zone: configuration.zone) }
    }

    /// Stores the evaluation in one transaction and delivers what is due; a dry run renders instead.
    private func record(_ changes: StateChanges, digests: [Digest], store: any EvaluationStore, memory: BufferedMemory?,
                        now: Date, dryRun: Bool, deliver: Bool, errors: inout [CollectorErrorReport]) throws
        -> [NotificationReport] {
        if dryRun {
            return digests.map { NotificationReport($0, via: configuration, status: .wouldSend, retry: false) }
                + (try store.dueOutbox(at: now).map {
                    NotificationReport($0.digest, via: configuration, status: .wouldSend, retry: true)
                })
        }
        let committed = try commit(store: store) {
            try changes.apply(to: store, memory: memory, digests: digests, now: now)
        }
        guard committed else {
            // The state disk is full even without the reserve: deliver what can be, record nothing.
            errors.append(CollectorErrorReport(collector: "state", message: "\(configuration.statePath): the "
                + "disk is full, so this evaluation was not recorded; its notifications were sent and will be "
                + "sent again until there is room. Free space on that file system."))
            return store.dispatcher(configuration)
                .deliverUnrecorded(digests + (try store.dueOutbox(at: now).map(\.digest)), now: now)
        }
        return deliver ? try store.dispatcher(configuration).deliverDue(now: now) : []
    }
}
