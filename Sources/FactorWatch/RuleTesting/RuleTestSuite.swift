#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One rule test file, decoded: the rules under test, the world they run in (zone, calendar, routes, channels)
/// and the cases. Built by `RuleTestDecoder`; run by `RuleTestRunner`.
public struct RuleTestSuite: Sendable {
    public var file: String
    public var rules: [Rule]
    public var zone: TimeZoneRules
    public var calendar: TradingCalendar
    public var routes: [Severity: Route]
    public var channels: [String]
    public var cases: [RuleTestCase]
    /// The `inhibit:` lists of the rule files under test.
    public var inhibitRules: [InhibitRule] = []
    /// `routes: by_label:` of the test file, else of the configuration.
    public var labelRoutes: [LabelRoute] = []

    /// SPEC §3's routes: what the shipped alert table promises when a test file names none.
    public static let defaultRoutes: [Severity: Route] = [
        .critical: Route(channels: ["email", "sms"], repeatInterval: 2 * 3_600),
        .high: Route(channels: ["email"], repeatInterval: 12 * 3_600),
        .medium: Route(channels: ["email"], repeatInterval: 24 * 3_600),
        .low: Route(channels: ["log"], repeatInterval: 24 * 3_600),
    ]
}

/// The routes and channel names rule tests start from: a configuration's, or the built-in ones.
public struct RuleTestRoutes: Sendable {
    public var routes: [Severity: Route]
    public var channels: [String]
    /// Where they come from, for the summary line: a configuration file, or "built-in".
    public var origin: String
    /// The configuration's `routes: by_label:`.
    public var labelRoutes: [LabelRoute] = []

    public init(routes: [Severity: Route], channels: [String], origin: String) {
        self.routes = routes
        self.channels = channels
        self.origin = origin
    }

    public init(_ configuration: Configuration) {
        self.init(routes: configuration.routes, channels: configuration.channels.keys.sorted(),
                  origin: configuration.file)
        labelRoutes = configuration.labelRoutes
    }

    public static let builtin = RuleTestRoutes(routes: RuleTestSuite.defaultRoutes, channels: ["email", "sms", "log"],
                                               origin: "built-in")
}

/// One named scenario: a series of evaluations sharing one in-memory alert state.
public struct RuleTestCase: Sendable {
    public var name: String
    public var location: SourceLocation
    /// Collectors run at every step (a data-directory fixture); their observations join the step's own.
    public var collectors: [any Collector]
    /// Silences in the state before the first step (each with its own start and end).
    public var silences: [Silence]
    public var steps: [RuleTestStep]
    /// Past trading days and job runs in the state before the first step.
    public var history: [RuleTestHistoryEntry] = []
}

/// One evaluation: its time, what is observed then, and (optionally) the alerts expected afterwards.
public struct RuleTestStep: Sendable {
    public var at: Date
    public var location: SourceLocation
    public var observations: [Observation]
    /// Collector failures to pretend at this step, as `collector: message`.
    public var errors: [CollectorErrorReport]
    /// `ack:` — acknowledgements made just before this step's evaluation, as `factorwatch ack` makes them.
    public var acknowledgements: [AcknowledgeRequest] = []
    /// Nil: nothing is checked at this step. Empty: no alert may be pending, firing or resolved.
    public var expect: [AlertExpectation]?
    /// Checks of one rule's firing alerts only, as promtool's `alert_rule_test` makes them.
    public var checks: [FiringCheck] = []
}

/// promtool's view of one rule at one time: exactly these alerts of `alert` are firing (pending and resolved
/// ones are not looked at), with their labels (the `severity` label included) and annotations.
public struct FiringCheck: Sendable {
    public var alert: String
    public var location: SourceLocation
    public var expect: [AlertExpectation]
}

/// What one alert should look like. Nil fields are not compared.
public struct AlertExpectation: Sendable, CustomStringConvertible {
    public var alert: String
    public var state: AlertPhase?
    public var severity: Severity?
    /// Compared exactly (the alert's full label set) when given.
    public var labels: Labels?
    public var value: Double?
    public var summary: String?
    /// Compared exactly (every annotation of the alert: summary, description, runbook_url and the others).
    public var annotations: [String: String]?
    /// The channels this step notifies about the alert; `[]` means de-duplicated or silenced.
    public var notify: [String]?
    /// `"silence"`, `"dedup"`, or `"none"` for an alert that is not suppressed.
    public var suppressedBy: String?
    public var location: SourceLocation

    public var description: String {
        var parts = [alert + (labels?.description ?? "")]
        if let state { parts.append(state.rawValue) }
        if let severity { parts.append(severity.rawValue) }
        if let value { parts.append("value=\(formatValue(value))") }
        if let notify { parts.append("notify=[\(notify.joined(separator: ", "))]") }
        if let suppressedBy { parts.append("suppressed_by=\(suppressedBy)") }
        if let summary { parts.append("summary=\"\(summary)\"") }
        if let annotations { parts.append("annotations=\(annotationText(annotations))") }
        return parts.joined(separator: " ")
    }
}

/// Annotations as `{a="x", b="y"}`, sorted by name.
func annotationText(_ annotations: [String: String]) -> String {
    "{" + annotations.keys.sorted().map { "\($0)=\"\(annotations[$0]!)\"" }.joined(separator: ", ") + "}"
}
