/// One watched pipeline job, as configured under `collectors.jobs`.
public struct JobSpec: Sendable {
    public var name: String
    /// When the job is meant to start; nil when it is not watched for missed starts.
    public var schedule: CronSchedule?
    /// How long after a scheduled start a missing run is tolerated before `job_overdue_seconds` rises.
    public var grace: Double
    /// The longest the job is expected to take, published as `job_budget_seconds` for rules to compare with.
    public var budget: Double?
    /// Durations read from the job's own log, for jobs not started through `factorwatch run`.
    public var log: LogDurationSource?

    public init(name: String, schedule: CronSchedule? = nil, grace: Double = 0, budget: Double? = nil,
                log: LogDurationSource? = nil) {
        self.name = name
        self.schedule = schedule
        self.grace = grace
        self.budget = budget
        self.log = log
    }
}
