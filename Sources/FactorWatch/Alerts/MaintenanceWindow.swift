#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A recurring silence written in factorwatch.yaml: from each start of `schedule` (cron, in the configured zone)
/// for `duration`, matching alerts are recorded but not sent — e.g. the monthly full recalculation.
public struct MaintenanceWindow: Sendable {
    public var name: String
    public var schedule: CronSchedule
    /// Seconds.
    public var duration: Double
    public var rule: String?
    public var matchers: [SilenceMatcher]

    public init(name: String, schedule: CronSchedule, duration: Double, rule: String? = nil,
                matchers: [SilenceMatcher] = []) {
        self.name = name
        self.schedule = schedule
        self.duration = duration
        self.rule = rule
        self.matchers = matchers
    }

    /// The window as a silence when `now` falls inside one of its occurrences.
    public func silence(at now: Date, zone: TimeZoneRules) -> Silence? {
        guard let start = schedule.previous(atOrBefore: now, in: zone) else { return nil }
        let end = start.addingTimeInterval(duration)
        guard now < end else { return nil }
        return Silence(id: 0, rule: rule, matchers: matchers, startsAt: start, endsAt: end,
                       comment: "maintenance window \(name)", createdBy: MaintenanceWindow.author, createdAt: start)
    }

    static let author = "maintenance"
}
