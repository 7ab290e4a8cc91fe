#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something that measures the world and reports observations. A collector knows nothing of rules.
///
/// A collector that cannot measure throws; the runner turns that into `collector_up{collector="NAME"} 0` and an
/// error entry, and the evaluation goes on. A collector that measured some things and failed on others throws
/// `CollectorFailure` carrying what it did measure.
public protocol Collector: Sendable {
    /// The collector's kind as configured (`factor_files`, `disk`, …); the `collector` label of `collector_up`.
    var name: String { get }
    /// The metric names this collector can produce, so `check` can warn about rules selecting nothing.
    var metricNames: [String] { get }
    func collect(_ context: CollectionContext) throws -> [Observation]
}

/// The world a collector sees: the pinned clock, the zone, the trading calendar, and a place to remember things
/// between runs (read positions, history).
public struct CollectionContext: Sendable {
    public var now: Date
    public var zone: TimeZoneRules
    public var calendar: TradingCalendar
    public var memory: CollectorMemory

    public init(now: Date, zone: TimeZoneRules, calendar: TradingCalendar, memory: CollectorMemory = EphemeralMemory()) {
        self.now = now
        self.zone = zone
        self.calendar = calendar
        self.memory = memory
    }

    public var today: LocalDate { zone.localDate(now) }
}

/// A collector's failure. `observations` holds whatever was measured before or despite the failure.
public struct CollectorFailure: Error, CustomStringConvertible {
    public var message: String
    public var observations: [Observation]

    public init(_ message: String, observations: [Observation] = []) {
        self.message = message
        self.observations = observations
    }

    public var description: String { message }
}

/// Values a collector keeps between evaluations, by collector and key. In a dry run writes are kept in memory
/// only and never reach the database.
public protocol CollectorMemory: Sendable {
    func value(collector: String, key: String) -> String?
    func set(_ value: String?, collector: String, key: String)
    /// Remembers a value whose loss is harmless (a sample the next run can take again), kept outside the
    /// state database's transactions.
    func setSample(_ value: String, collector: String, key: String)
}

extension CollectorMemory {
    public func setSample(_ value: String, collector: String, key: String) { set(value, collector: collector, key: key) }
}

/// Memory that starts empty and is never stored: tests and one-off collections.
public typealias EphemeralMemory = BufferedMemory
