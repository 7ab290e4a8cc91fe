#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ISO 8601 in and out, in the configured zone: `2026-11-24T02:45:00+08:00`.
public enum Timestamp {
    public static func format(_ date: Date, in zone: TimeZoneRules) -> String {
        let local = zone.localDateTime(date)
        let offset = zone.offset(at: date)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(local.date)T\(pad(local.hour, 2)):\(pad(local.minute, 2)):\(pad(local.second, 2))"
            + "\(sign)\(pad(magnitude / 3_600, 2)):\(pad(magnitude / 60 % 60, 2))"
    }

    /// Accepts `2026-11-24T02:45:00+08:00`, `…Z`, `2026-11-24T02:45` or `2026-11-24 02:45[:00]` (local to
    /// `zone` when no offset is given), and `2026-11-24` (local midnight).
    public static func parse(_ text: String, in zone: TimeZoneRules) -> Date? {
        let trimmed = text.trimmed()
        guard trimmed.count >= 10, let date = LocalDate(String(trimmed.prefix(10))) else { return nil }
        var rest = Substring(trimmed.dropFirst(10))
        if rest.isEmpty { return zone.date(from: LocalDateTime(date: date)) }
        guard rest.first == "T" || rest.first == " " else { return nil }
        rest = rest.dropFirst()
        var offset: Int?
        if rest.hasSuffix("Z") {
            offset = 0
            rest = rest.dropLast()
        } else if let signIndex = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            guard let parsed = TimeZoneRules.parseOffset(String(rest[signIndex...])) else { return nil }
            offset = parsed
            rest = rest[..<signIndex]
        }
        var fraction = 0.0
        if let dot = rest.firstIndex(of: ".") {
            guard let value = Double("0" + rest[dot...]) else { return nil }
            fraction = value
            rest = rest[..<dot]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else { return nil }
        let second = parts.count == 3 ? Int(parts[2])! : 0
        guard second < 61 else { return nil }
        let local = LocalDateTime(date: date, hour: hour, minute: minute, second: second)
        if let offset {
            return Date(timeIntervalSince1970: Double(local.wallSeconds - Int64(offset)) + fraction)
        }
        return zone.date(from: local).addingTimeInterval(fraction)
    }
}

/// The longest duration anything accepts: 3650 days. Longer (or not finite) is refused where it is read, so no
/// later conversion of it to whole seconds or nanoseconds can overflow.
public let maximumDuration: Double = 3_650 * 86_400

/// The one duration format of configuration, rule tests and the command line: numbers with units `ms`, `s`, `m`,
/// `h`, `d`, `w`, `y` (365 days), largest first or in any order, optionally separated by spaces — `30s`, `15m`,
/// `1h30m`, `1d 2h 3m 4s` (as factorwatch prints them) — or a plain number of seconds. Nil beyond `maximumDuration`.
public func parseDuration(_ text: String) -> Double? {
    guard let seconds = parseDurationUnbounded(text), seconds.isFinite, seconds <= maximumDuration else { return nil }
    return seconds
}

private func parseDurationUnbounded(_ text: String) -> Double? {
    let trimmed = text.trimmed()
    if let seconds = Double(trimmed), seconds >= 0 { return seconds }
    var total = 0.0
    var number = ""
    var sawUnit = false
    let characters = Array(trimmed)
    var index = 0
    while index < characters.count {
        let character = characters[index]
        index += 1
        if character.isNumber || character == "." {
            number.append(character)
            continue
        }
        if character == " " && number.isEmpty && sawUnit { continue }
        guard let value = Double(number) else { return nil }
        let unit: Double
        switch character {
        case "m" where index < characters.count && characters[index] == "s":
            index += 1
            unit = 0.001
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3_600
        case "d": unit = 86_400
        case "w": unit = 604_800
        case "y": unit = 31_536_000
        default: return nil
        }
        total += value * unit
        number = ""
        sawUnit = true
    }
    guard number.isEmpty, sawUnit else { return nil }
    return total
}
