#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A wall-clock time of day, `08:30`.
public struct ClockTime: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.trimmed().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
              let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    var minutes: Int { hour * 60 + minute }
    public var description: String { pad(hour, 2) + ":" + pad(minute, 2) }

    func on(_ day: LocalDate, in zone: TimeZoneRules) -> Date {
        zone.date(from: LocalDateTime(date: day, hour: hour, minute: minute))
    }
}

/// When a route's notices may go out: `deliver: at 08:30` (one digest a day, at that time), or `quiet:
/// 22:00-07:00` (held through those hours, sent when they end); with `trading_days: true` only on trading days.
/// In the configured zone. Critical alerts are never held.
public struct DeliverySchedule: Sendable, Equatable {
    public var at: ClockTime?
    public var quietFrom: ClockTime?
    public var quietUntil: ClockTime?
    public var tradingDaysOnly: Bool

    public init(at: ClockTime? = nil, quietFrom: ClockTime? = nil, quietUntil: ClockTime? = nil,
                tradingDaysOnly: Bool = false) {
        self.at = at
        self.quietFrom = quietFrom
        self.quietUntil = quietUntil
        self.tradingDaysOnly = tradingDaysOnly
    }

    /// When a notice decided at `now` may go: nil for at once, else the instant it is released.
    public func release(after now: Date, zone: TimeZoneRules, calendar: TradingCalendar) -> Date? {
        let today = zone.localDate(now)
        // Three weeks covers the longest exchange holiday; past that, a calendar gap must not hold news forever.
        for offset in 0..<21 {
            let day = today.adding(days: offset)
            guard !tradingDaysOnly || calendar.isOpen(day) else { continue }
            var candidates: [Date] = []
            if let at {
                candidates = [at.on(day, in: zone)]
            } else {
                candidates = [offset == 0 ? now : zone.date(from: LocalDateTime(date: day))]
                if let quietUntil { candidates.append(quietUntil.on(day, in: zone)) }
            }
            for candidate in candidates.sorted() where candidate >= now && (at != nil || !isQuiet(candidate, zone)) {
                return candidate <= now ? nil : candidate
            }
        }
        return nil
    }

    private func isQuiet(_ date: Date, _ zone: TimeZoneRules) -> Bool {
        guard let quietFrom, let quietUntil else { return false }
        let local = zone.localDateTime(date)
        let minute = local.hour * 60 + local.minute
        return quietFrom.minutes <= quietUntil.minutes
            ? (quietFrom.minutes..<quietUntil.minutes).contains(minute)
            : minute >= quietFrom.minutes || minute < quietUntil.minutes
    }

    /// `at 08:30`, `quiet 22:00-07:00`, with `, trading days` when so.
    public var description: String {
        var text = at.map { "at \($0)" } ?? "quiet \(quietFrom.map(\.description) ?? "")-\(quietUntil.map(\.description) ?? "")"
        if tradingDaysOnly { text += ", trading days" }
        return text
    }
}
