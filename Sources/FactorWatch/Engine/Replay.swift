#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `factorwatch replay`: the current rules over the stored history, one trading day at a time, through the same
/// stages as `eval` (state machine, silences, de-duplication, routes) against a private in-memory state, so a
/// threshold edit can be judged on the last quarter before it reaches cron. Nothing is sent and the state
/// database is only read.
///
/// Each day is evaluated at `time` on that day, with that day's stored figures as the observations (each with
/// `__date`), the job runs finished by then (`job_last_duration_seconds`, `job_last_exit_code`), and only the
/// history up to that day. Rules reading anything else (disk, logs, file ages) cannot be replayed: they are
/// listed, never judged on nothing.
public struct Replay {
    public let configuration: Configuration

    public struct Day: Sendable {
        public var date: LocalDate
        /// What the day's evaluation reported (firing, pending, resolved), as `eval` would.
        public var alerts: [AlertReport]
        /// channel → the notices it would have been sent.
        public var notices: [String: [AlertNotice]]
    }

    public struct Result: Sendable {
        public var days: [Day] = []
        public var skippedRules: [String] = []
        public var ruleErrors: [RuleErrorReport] = []
    }

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Replays the trading days from `from` to `to` (both included), evaluated at `hour:minute` local time.
    public func run(from: LocalDate, to: LocalDate, rules filter: Set<String>? = nil, hour: Int = 23,
                    minute: Int = 0) throws -> Result {
        let source = try HistoryStore(store: try StateStore(path: configuration.statePath, readOnly: true))
        let points = try source.points(to: to)
        let runs = try source.runs(to: configuration.zone.date(from: LocalDateTime(date: to.adding(days: 1))))
        // A day metric absent from a day (a check that found nothing to report) is known to be absent.
        let known = Set(points.map(\.metric)).union(HistoryFrame.runMetrics)
            .union(HistoryRecorder.dayMetrics(of: configuration.collectors))
        var result = Result()
        var replayed = configuration
        replayed.rules = configuration.rules.filter { rule in
            guard filter?.contains(rule.name) ?? true else { return false }
            let reads = rule.expression.selectedMetrics.union(rule.clear?.selectedMetrics ?? [])
            if reads.isSubset(of: known) { return true }
            result.skippedRules.append(rule.name)
            return false
        }
        let target = try StateStore(path: ":memory:")
        let history = try HistoryStore(store: target)
        let evaluator = Evaluator(configuration: replayed)
        var byDate: [LocalDate: [HistoryPoint]] = [:]
        for point in points { byDate[point.date, default: []].append(point) }
        var copied = Set<LocalDate>()
        var runsCopied = 0
        var day = from
        while day <= to {
            defer { day = day.adding(days: 1) }
            guard configuration.calendar.isOpen(day) else { continue }
            let now = configuration.zone.date(from: LocalDateTime(date: day, hour: hour, minute: minute))
            for date in byDate.keys.sorted() where date < day && !copied.contains(date) {
                try history.record(Self.historyDay(date, byDate[date]!), source: "replay", at: now)
                copied.insert(date)
            }
            while runsCopied < runs.count && runs[runsCopied].finishedAt <= now {
                let run = runs[runsCopied]
                try target.recordJobRun(JobRun(job: run.job, host: "replay", pid: nil,
                                               startedAt: run.finishedAt.addingTimeInterval(-run.duration),
                                               finishedAt: run.finishedAt, exitCode: Int32(run.exitCode)))
                runsCopied += 1
            }
            let observations = Self.historyDay(day, byDate[day] ?? []).observations
                + Self.jobObservations(runs.prefix(runsCopied))
            let report = try evaluator.evaluate(observations: observations, errors: [], store: target, now: now,
                                                dryRun: false, deliver: false)
            copied.insert(day)
            var notices: [String: [AlertNotice]] = [:]
            for entry in try target.dueOutbox(at: now) {
                notices[entry.digest.channel, default: []] += entry.digest.alerts
                try target.markSent(entry.id, at: now)
            }
            result.ruleErrors += report.ruleErrors
            result.days.append(Day(date: day, alerts: report.alerts, notices: notices))
        }
        return result
    }

    /// A stored day as the observations of its file: each figure with `__date`.
    static func historyDay(_ date: LocalDate, _ points: [HistoryPoint]) -> HistoryDay {
        HistoryDay(date: date, observations: points.map { point in
            var labels = point.labels.annotating("date", date.yyyymmdd)
            for note in point.annotations { labels[note.name] = note.value }
            return Observation(point.metric, labels, point.value)
        })
    }

    /// Each job's last finished run, as the jobs collector reports it.
    static func jobObservations(_ runs: ArraySlice<RunPoint>) -> [Observation] {
        var last: [String: RunPoint] = [:]
        for run in runs { last[run.job] = run }
        return last.values.sorted { $0.job < $1.job }.flatMap { run in
            [Observation("job_last_duration_seconds", ["job": run.job], run.duration),
             Observation("job_last_exit_code", ["job": run.job], run.exitCode)]
        }
    }
}
