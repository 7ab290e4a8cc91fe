/// The POSIX TZ string that ends a version 2+ zone file (RFC 8536 §3.3), e.g. `EST5EDT,M3.2.0,M11.1.0` or
/// `<+08>-8`. It gives the offsets after the file's last transition, so a slim zone file (which stops listing
/// transitions at the first year the rule describes) and dates past 2037 get the same answer as the C library.
struct PosixTimeZoneRule: Sendable, Equatable {
    /// Seconds east of UTC for standard time and, when the zone has one, daylight time.
    let standardOffset: Int
    let daylight: Daylight?

    struct Daylight: Sendable, Equatable {
        let offset: Int
        let start: Transition
        let end: Transition
    }

    /// When in the year a change happens: the date rule and the local wall time (seconds; may be negative or
    /// past 24 h, as RFC 8536 allows).
    struct Transition: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: day 1...365, February 29 never counted.
            case julianNoLeap(Int)
            /// `n`: day 0...365, February 29 counted in leap years.
            case zeroBased(Int)
            /// `Mm.w.d`: day `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }
        let day: Day
        let time: Int
    }

    init(standard offset: Int) {
        standardOffset = offset
        daylight = nil
    }

    /// Parses the footer text; nil when it is empty or not a rule this reader understands.
    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.name(), let std = scanner.offset() else { return nil }
        standardOffset = -std
        if scanner.atEnd {
            daylight = nil
            return
        }
        guard scanner.name() else { return nil }
        var dstOffset = standardOffset + 3_600
        if let value = scanner.offset() { dstOffset = -value }
        guard scanner.take(UInt8(ascii: ",")), let start = scanner.transition(), scanner.take(UInt8(ascii: ",")),
              let end = scanner.transition(), scanner.atEnd else { return nil }
        daylight = Daylight(offset: dstOffset, start: start, end: end)
    }

    /// Seconds east of UTC in force at `instant` (seconds since the epoch).
    func offset(at instant: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = LocalDateTime(wallSeconds: instant + Int64(standardOffset)).date.year
        // A change is given in the local time in force before it: start in standard time, end in daylight time.
        for candidate in [year - 1, year, year + 1].reversed() {
            let start = Self.instant(of: daylight.start, year: candidate) - Int64(standardOffset)
            let end = Self.instant(of: daylight.end, year: candidate) - Int64(daylight.offset)
            if start < end {
                if instant >= end { return standardOffset }
                if instant >= start { return daylight.offset }
            } else {
                // Southern hemisphere: daylight time spans the new year.
                if instant >= start { return daylight.offset }
                if instant >= end { return standardOffset }
            }
        }
        return standardOffset
    }

    /// Wall-clock seconds since the epoch at which `transition` happens in `year`.
    private static func instant(of transition: Transition, year: Int) -> Int64 {
        let january1 = LocalDate(year: year, month: 1, day: 1).daysSinceEpoch
        let leap = LocalDate.isLeap(year)
        let day: Int
        switch transition.day {
        case .julianNoLeap(let n):
            day = january1 + n - 1 + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            day = january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = LocalDate(year: year, month: month, day: 1).daysSinceEpoch
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = ((first + 4) % 7 + 7) % 7
            var date = first + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let nextMonth = month == 12 ? LocalDate(year: year + 1, month: 1, day: 1).daysSinceEpoch
                : LocalDate(year: year, month: month + 1, day: 1).daysSinceEpoch
            while date >= nextMonth { date -= 7 }
            day = date
        }
        return Int64(day) * 86_400 + Int64(transition.time)
    }

    /// A cursor over the TZ string's bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var at = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { at == bytes.count }

        private var current: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            at += 1
            return true
        }

        /// `EST` (three or more letters) or `<+0530>` (quoted).
        mutating func name() -> Bool {
            if take(UInt8(ascii: "<")) {
                while let byte = current, byte != UInt8(ascii: ">") { at += 1 }
                return take(UInt8(ascii: ">"))
            }
            let start = at
            while let byte = current, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { at += 1 }
            return at - start >= 3
        }

        private mutating func number() -> Int? {
            let start = at
            var value = 0
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), at - start < 6 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                at += 1
            }
            return at > start ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]`, in seconds (POSIX sign: positive is west of Greenwich).
        mutating func offset() -> Int? {
            var sign = 1
            if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
            guard let hours = number(), hours <= 167 else { return nil }
            var seconds = hours * 3_600
            if take(UInt8(ascii: ":")) {
                guard let minutes = number(), minutes < 60 else { return nil }
                seconds += minutes * 60
                if take(UInt8(ascii: ":")) {
                    guard let rest = number(), rest < 60 else { return nil }
                    seconds += rest
                }
            }
            return sign * seconds
        }

        mutating func transition() -> Transition? {
            let day: Transition.Day
            if take(UInt8(ascii: "M")) {
                guard let month = number(), (1...12).contains(month), take(UInt8(ascii: ".")),
                      let week = number(), (1...5).contains(week), take(UInt8(ascii: ".")),
                      let weekday = number(), (0...6).contains(weekday) else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else if take(UInt8(ascii: "J")) {
                guard let n = number(), (1...365).contains(n) else { return nil }
                day = .julianNoLeap(n)
            } else {
                guard let n = number(), (0...365).contains(n) else { return nil }
                day = .zeroBased(n)
            }
            var time = 7_200
            if take(UInt8(ascii: "/")) {
                guard let value = offset() else { return nil }
                time = value
            }
            return Transition(day: day, time: time)
        }
    }
}
