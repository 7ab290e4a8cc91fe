/// When the file of a trading day is due: `expected_by: "03:00"` (configured zone) on the next trading day, so a
/// pipeline that writes the previous day's file at 02:30 is not counted late at 00:05.
public struct ExpectedArrival: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight.
    public var minutes: Int

    public init(minutes: Int) { self.minutes = minutes }

    /// `HH:MM` (24-hour, 00:00 to 23:59); nil otherwise.
    public init?(_ text: String) {
        let parts = text.trimmed().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        minutes = hour * 60 + minute
    }

    public var description: String {
        let hour = minutes / 60, minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

extension FactorFilesCollector {
    /// Trading days after `latest` whose file is due and missing. Without `expectedBy`, every trading day strictly
    /// between `latest` and today. With it, the file of trading day D is due at `expectedBy` on the first trading day
    /// after D: the most recent trading day before today counts only once today is a trading day past that time.
    func missingTradingDays(after latest: LocalDate, _ context: CollectionContext) -> Int {
        let today = context.today
        let calendar = context.calendar
        guard let expectedBy else { return calendar.tradingDays(after: latest, before: today) }
        let previous = calendar.previousTradingDay(before: today)
        guard previous > latest else { return 0 }
        let local = context.zone.localDateTime(context.now)
        let passed = calendar.isOpen(today) && local.hour * 60 + local.minute >= expectedBy.minutes
        return calendar.tradingDays(after: latest, before: previous) + (passed ? 1 : 0)
    }
}
