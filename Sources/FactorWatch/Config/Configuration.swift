/// Everything one run needs, decoded and validated: the world (zone, calendar), what to measure, what to alert
/// on, and where to send it.
public struct Configuration: Sendable {
    /// The main file (`factorwatch.yaml`).
    public var file: String
    public var zone: TimeZoneRules
    public var calendar: TradingCalendar
    /// The SQLite state database.
    public var statePath: String
    /// The name messages give for this machine.
    public var host: String
    public var collectors: [any Collector]
    public var rules: [Rule]
    public var routes: [Severity: Route]
    public var channels: [String: any Channel]
    public var delivery: DeliveryPolicy
    /// Seconds an evaluation waits for another one to finish.
    public var lockTimeout: Double
    /// Recurring silences.
    public var maintenance: [MaintenanceWindow] = []
    /// `inhibit:` — source alerts that hold back matching targets while they fire.
    public var inhibitRules: [InhibitRule] = []
    /// `routes: by_label:` — ordered label matchers tried before the severity routes.
    public var labelRoutes: [LabelRoute] = []
    /// The pipeline's jobs (`collectors.jobs`), for `cron` and `run`.
    public var jobs: [JobEntry] = []
    /// Where `eval` writes its Prometheus textfile (`textfile:`), if anywhere.
    public var textfile: String?
    /// `calendar:` as written (file, exchange, where `calendar update` fetches it).
    public var calendarSettings = CalendarSettings()
    /// Trading days of factor-file history kept (`history_retention:`).
    public var historyRetention = HistoryRecorder.defaultRetention
    /// The dead man's switch `eval` pings (`heartbeat:`), if any.
    public var heartbeat: Heartbeat?
    /// Seconds one collector may take (`collector_timeout`); past it, it has failed and its rules keep their state.
    public var collectorTimeout: Double = 120
    /// Why the heartbeat's URL could not be read (its file or variable): reported, while everything else runs.
    public var heartbeatProblems: [ConfigProblem] = []

    public init(file: String, zone: TimeZoneRules = .utc, calendar: TradingCalendar = .weekdays,
                statePath: String, host: String, collectors: [any Collector] = [], rules: [Rule] = [],
                routes: [Severity: Route] = [:], channels: [String: any Channel] = [:],
                delivery: DeliveryPolicy = DeliveryPolicy(), lockTimeout: Double = 120) {
        self.file = file
        self.zone = zone
        self.calendar = calendar
        self.statePath = statePath
        self.host = host
        self.collectors = collectors
        self.rules = rules
        self.routes = routes
        self.channels = channels
        self.delivery = delivery
        self.lockTimeout = lockTimeout
    }

    /// The route for a severity: configured, or the defaults restricted to the channels that exist.
    public func route(for severity: Severity) -> Route {
        routes[severity] ?? Route.fallback(for: severity, channels: Set(channels.keys))
    }

    /// The channels an alert of `rule` at `severity` notifies.
    public func channels(for rule: Rule, severity: Severity) -> [String] {
        rule.channels ?? route(for: severity).channels
    }

    public func repeatInterval(for rule: Rule, severity: Severity) -> Double {
        rule.repeatInterval ?? route(for: severity).repeatInterval
    }
}

/// How undeliverable notifications are retried.
public struct DeliveryPolicy: Sendable, Equatable {
    /// Attempts before a notification is marked dead.
    public var maxAttempts: Int
    /// Wait after the first failure; doubles each time up to `maxBackoff` (seconds).
    public var initialBackoff: Double
    public var maxBackoff: Double

    public init(maxAttempts: Int = 12, initialBackoff: Double = 60, maxBackoff: Double = 3_600) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// Seconds to wait after the `attempts`-th failed attempt.
    public func backoff(afterAttempts attempts: Int) -> Double {
        min(maxBackoff, initialBackoff * Double(1 << min(max(attempts - 1, 0), 20)))
    }
}
