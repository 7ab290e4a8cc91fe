/// Where something was written in a configuration file, for error messages and `check`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One alerting rule: when `expression` keeps a series, that series is an alert instance of this rule.
public struct Rule: Sendable {
    public var name: String
    public var expression: RuleExpression
    /// Hysteresis: a firing alert stays firing until this holds for its series.
    public var clear: RuleExpression?
    public var severity: Severity
    /// How long the condition must hold before the alert fires (seconds).
    public var forDuration: Double
    /// How long a firing alert stays firing after its condition stops holding (seconds; Prometheus'
    /// `keep_firing_for`).
    public var keepFiringFor: Double = 0
    public var summary: Template?
    public var description: Template?
    public var runbook: String
    /// Annotations besides summary, description and runbook (`dashboard`, …), passed on to Alertmanager.
    public var annotations: [String: Template] = [:]
    /// Extra labels added to every alert of this rule.
    public var labels: Labels
    /// Overrides the severity route's channels.
    public var channels: [String]?
    /// Overrides the severity route's re-notification interval (seconds).
    public var repeatInterval: Double?
    /// Send a notice when the alert resolves.
    public var notifyResolved: Bool
    public var location: SourceLocation?

    public init(name: String, expression: RuleExpression, clear: RuleExpression? = nil, severity: Severity,
                forDuration: Double = 0, summary: Template? = nil, description: Template? = nil, runbook: String = "",
                labels: Labels = Labels(), channels: [String]? = nil, repeatInterval: Double? = nil,
                notifyResolved: Bool = true, location: SourceLocation? = nil) {
        self.name = name
        self.expression = expression
        self.clear = clear
        self.severity = severity
        self.forDuration = forDuration
        self.summary = summary
        self.description = description
        self.runbook = runbook
        self.labels = labels
        self.channels = channels
        self.repeatInterval = repeatInterval
        self.notifyResolved = notifyResolved
        self.location = location
    }
}

extension Rule {
    /// The extra annotations rendered for one alert; nil when the rule has none.
    public func renderAnnotations(value: Double, labels: Labels) -> [String: String]? {
        annotations.isEmpty ? nil : annotations.mapValues { $0.render(value: value, labels: labels) }
    }
}

/// One step of an escalation path: `after` seconds of firing without acknowledgement, `channels` are told too.
public struct EscalationLevel: Sendable, Equatable {
    public var after: Double
    public var channels: [String]

    public init(after: Double, channels: [String]) {
        self.after = after
        self.channels = channels
    }
}

/// Where alerts of one severity go, and how often they are repeated while firing.
public struct Route: Sendable, Equatable {
    public var channels: [String]
    /// Seconds between notices of a still-firing alert.
    public var repeatInterval: Double
    /// `escalate:` — further channels an unacknowledged firing alert reaches as it keeps firing.
    public var escalation: [EscalationLevel] = []
    /// `deliver:`/`quiet:` — when its notices may go out; nil for at once.
    public var schedule: DeliverySchedule?

    public init(channels: [String], repeatInterval: Double) {
        self.channels = channels
        self.repeatInterval = repeatInterval
    }

    /// The defaults of SPEC §3 when `routes:` leaves a severity out.
    public static func fallback(for severity: Severity, channels available: Set<String>) -> Route {
        let hours: Double
        switch severity {
        case .critical: hours = 2
        case .high: hours = 12
        case .medium, .low: hours = 24
        }
        let wanted: [String]
        switch severity {
        case .critical: wanted = ["email", "sms", "log"]
        case .high, .medium: wanted = ["email", "log"]
        case .low: wanted = ["log"]
        }
        return Route(channels: wanted.filter(available.contains), repeatInterval: hours * 3_600)
    }
}
