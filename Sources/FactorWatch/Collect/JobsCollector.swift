#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The health of the pipeline's jobs, from the runs `factorwatch run` recorded and, where configured, the
/// jobs' own logs. Per job (label `job`):
///
/// - `job_last_duration_seconds`, `job_last_exit_code`, `job_last_timed_out`: the last finished run. A run
///   recorded as started on this host whose process is gone without an end counts as finished with exit code -1
///   (crashed, or the wrapper was killed).
/// - `job_since_success_seconds`: since the end of the last run that exited 0.
/// - `job_running_seconds`: how long the current run has been going; 0 when none is.
/// - `job_overdue_seconds`: 0 while fine; otherwise the seconds since the latest scheduled start plus grace
///   passed with no run started at or after that scheduled start (a dead-man's switch).
/// - `job_budget_seconds`: the configured budget, for rules such as
///   `job_last_duration_seconds > job_budget_seconds`.
///
/// - `job_new`: 1 while the job has no recorded run (wrapped by `factorwatch run`, or found in its log), else 0. A new
///   job has no `job_overdue_seconds` (whether it ran is unknown, not late): JobMissed starts with its first run.
/// - `job_unrecorded_starts`: for a new job, the scheduled starts whose grace passed since factorwatch began
///   watching it (the first evaluation that saw it; kept in collector memory), at most 10.
///
/// A job with no recorded run has no `job_last_*` or `job_since_success_seconds` series.
public struct JobsCollector: Collector {
    public var name: String { "jobs" }
    public let jobs: [JobSpec]
    public let source: any JobRunSource
    /// This machine's name, to decide whether a recorded pid can be checked here.
    public let host: String

    public init(jobs: [JobSpec], source: any JobRunSource, host: String = JobRunner.hostName()) {
        self.jobs = jobs
        self.source = source
        self.host = host
    }

    public init(jobs: [JobSpec], statePath: String, host: String = JobRunner.hostName()) {
        self.init(jobs: jobs, source: SQLiteJobRunSource(path: statePath), host: host)
    }

    public var metricNames: [String] {
        ["job_last_duration_seconds", "job_last_exit_code", "job_last_timed_out", "job_since_success_seconds",
         "job_running_seconds", "job_overdue_seconds", "job_budget_seconds", "job_new", "job_unrecorded_starts"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        var failures: [String] = []
        var recorded: [String: JobRunSummary] = [:]
        do {
            recorded = try source.summaries(jobs: jobs.map(\.name))
        } catch {
            failures.append("cannot read job runs: \(error)")
        }
        var observations: [Observation] = []
        for job in jobs {
            var summary = recorded[job.name] ?? JobRunSummary()
            if let log = job.log {
                do {
                    summary = summary.merged(with: try log.summary(job: job.name, zone: context.zone))
                } catch {
                    failures.append("job \(job.name): \(error)")
                }
            }
            observations += JobsCollector.observations(job, summary, now: context.now, zone: context.zone,
                                                       watchedSince: watchedSince(job, context),
                                                       isAlive: { run in self.isAlive(run) })
        }
        guard failures.isEmpty else {
            throw CollectorFailure(failures.joined(separator: "; "), observations: observations)
        }
        return observations
    }

    /// Whether a started, unfinished run may still be going. Runs on other hosts (or without a pid) are trusted.
    func isAlive(_ run: JobRun) -> Bool {
        guard let pid = run.pid, pid > 0, run.host == host else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// When factorwatch first watched the job: remembered from the first evaluation that saw it.
    func watchedSince(_ job: JobSpec, _ context: CollectionContext) -> Date {
        let key = "watched_since:" + job.name
        if let text = context.memory.value(collector: name, key: key), let seconds = Double(text) {
            return Date(timeIntervalSince1970: seconds)
        }
        context.memory.set(String(context.now.timeIntervalSince1970), collector: name, key: key)
        return context.now
    }

    static func observations(_ job: JobSpec, _ summary: JobRunSummary, now: Date, zone: TimeZoneRules,
                             watchedSince: Date? = nil, isAlive: (JobRun) -> Bool) -> [Observation] {
        let labels: Labels = ["job": job.name]
        var result: [Observation] = []
        var lastFinished = summary.lastFinished
        var running = 0.0
        var crashed = false
        if let latest = summary.latest, !latest.isFinished {
            if isAlive(latest) {
                running = max(0, now.timeIntervalSince(latest.startedAt))
            } else {
                crashed = true
            }
        }
        if crashed {
            result.append(Observation("job_last_exit_code", labels, -1))
            result.append(Observation("job_last_timed_out", labels, 0))
            lastFinished = nil
        }
        if let run = lastFinished {
            if let duration = run.duration { result.append(Observation("job_last_duration_seconds", labels, duration)) }
            result.append(Observation("job_last_exit_code", labels, Double(run.exitCode ?? -1)))
            result.append(Observation("job_last_timed_out", labels, run.timedOut ? 1 : 0))
        }
        if let success = summary.lastSuccess, let finished = success.finishedAt {
            result.append(Observation("job_since_success_seconds", labels, max(0, now.timeIntervalSince(finished))))
        }
        result.append(Observation("job_running_seconds", labels, running))
        let isNew = summary.latest == nil
        result.append(Observation("job_new", labels, isNew ? 1 : 0))
        if isNew, let schedule = job.schedule {
            let starts = unrecordedStarts(schedule: schedule, grace: job.grace, since: watchedSince ?? now, now: now,
                                          zone: zone)
            result.append(Observation("job_unrecorded_starts", labels, starts))
        } else if let schedule = job.schedule {
            let late = overdue(schedule: schedule, grace: job.grace, latestStart: summary.latest?.startedAt,
                               now: now, zone: zone)
            result.append(Observation("job_overdue_seconds", labels, late))
        }
        if let budget = job.budget { result.append(Observation("job_budget_seconds", labels, budget)) }
        return result
    }

    /// Scheduled starts at or after `since` whose grace has passed by `now`, counted up to 10.
    static func unrecordedStarts(schedule: CronSchedule, grace: Double, since: Date, now: Date,
                                 zone: TimeZoneRules) -> Int {
        var count = 0
        var cursor = now.addingTimeInterval(-grace)
        while count < 10, let start = schedule.previous(atOrBefore: cursor, in: zone), start >= since {
            count += 1
            cursor = start.addingTimeInterval(-1)
        }
        return count
    }

    /// Seconds past the deadline (scheduled start + grace) of the latest scheduled start whose deadline has
    /// passed, when no run started at or after that scheduled start; else 0.
    static func overdue(schedule: CronSchedule, grace: Double, latestStart: Date?, now: Date,
                        zone: TimeZoneRules) -> Double {
        guard let due = schedule.previous(atOrBefore: now.addingTimeInterval(-grace), in: zone) else { return 0 }
        if let latestStart, latestStart >= due { return 0 }
        return max(0, now.timeIntervalSince(due.addingTimeInterval(grace)))
    }
}
