#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `strftime`-style pattern for the timestamp at the start of a log line, e.g. `%Y-%m-%d %H:%M:%S,%f` for
/// Python logging's `2026-11-24 02:30:01,123`.
///
/// Directives: `%Y %m %d %H %M %S`, `%f` (fraction of a second, 1–9 digits), `%z` (`+0800`, `+08:00`, `Z`),
/// `%%`. Everything else must match literally. Times without `%z` are in the configured zone.
public struct LogTimestampFormat: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    private let parts: [Part]

    enum Part: Sendable, Equatable {
        case literal(UInt8)
        case year, month, day, hour, minute, second, fraction, zone
    }

    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public var pattern: String
        public var offset: Int
        public var description: String {
            "timestamp format \"\(pattern)\": unknown directive at offset \(offset) "
                + "(valid: %Y %m %d %H %M %S %f %z %%)"
        }
    }

    public static let standard = try! LogTimestampFormat("%Y-%m-%d %H:%M:%S")

    public init(_ pattern: String) throws(FormatError) {
        self.pattern = pattern
        var parts: [Part] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                parts.append(.literal(bytes[index]))
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { throw FormatError(pattern: pattern, offset: index) }
            switch bytes[index + 1] {
            case UInt8(ascii: "Y"): parts.append(.year)
            case UInt8(ascii: "m"): parts.append(.month)
            case UInt8(ascii: "d"): parts.append(.day)
            case UInt8(ascii: "H"): parts.append(.hour)
            case UInt8(ascii: "M"): parts.append(.minute)
            case UInt8(ascii: "S"): parts.append(.second)
            case UInt8(ascii: "f"): parts.append(.fraction)
            case UInt8(ascii: "z"): parts.append(.zone)
            case UInt8(ascii: "%"): parts.append(.literal(UInt8(ascii: "%")))
            default: throw FormatError(pattern: pattern, offset: index)
            }
            index += 2
        }
        self.parts = parts
    }

    public var description: String { pattern }

    /// The instant at the start of `line` (after an optional `[`), or nil when the line does not start with one.
    public func parse(_ line: Substring.UTF8View, in zone: TimeZoneRules) -> Date? {
        var index = line.startIndex
        if index < line.endIndex, line[index] == UInt8(ascii: "[") { index = line.index(after: index) }
        var fields = (year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        var offset: Int?

        func number(_ digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard index < line.endIndex, let digit = line[index].asciiDigit else { return nil }
                value = value * 10 + digit
                index = line.index(after: index)
            }
            return value
        }

        for part in parts {
            switch part {
            case .literal(let byte):
                guard index < line.endIndex, line[index] == byte else { return nil }
                index = line.index(after: index)
            case .year: guard let v = number(4) else { return nil }; fields.year = v
            case .month: guard let v = number(2) else { return nil }; fields.month = v
            case .day: guard let v = number(2) else { return nil }; fields.day = v
            case .hour: guard let v = number(2) else { return nil }; fields.hour = v
            case .minute: guard let v = number(2) else { return nil }; fields.minute = v
            case .second: guard let v = number(2) else { return nil }; fields.second = v
            case .fraction:
                var scale = 0.1
                var digits = 0
                while index < line.endIndex, let digit = line[index].asciiDigit, digits < 9 {
                    fraction += Double(digit) * scale
                    scale /= 10
                    digits += 1
                    index = line.index(after: index)
                }
                guard digits > 0 else { return nil }
            case .zone:
                guard index < line.endIndex else { return nil }
                if line[index] == UInt8(ascii: "Z") {
                    offset = 0
                    index = line.index(after: index)
                    continue
                }
                let sign = line[index]
                guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
                index = line.index(after: index)
                guard let hours = number(2) else { return nil }
                if index < line.endIndex, line[index] == UInt8(ascii: ":") { index = line.index(after: index) }
                guard let minutes = number(2) else { return nil }
                offset = (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
            }
        }
        guard (1...12).contains(fields.month), fields.day >= 1,
              fields.day <= LocalDate.daysIn(month: fields.month, year: fields.year),
              fields.hour < 24, fields.minute < 60, fields.second < 61 else { return nil }
        let local = LocalDateTime(date: LocalDate(year: fields.year, month: fields.month, day: fields.day),
                                  hour: fields.hour, minute: fields.minute, second: fields.second)
        if let offset {
            return Date(timeIntervalSince1970: Double(local.wallSeconds - Int64(offset)) + fraction)
        }
        return zone.date(from: local).addingTimeInterval(fraction)
    }
}

extension UInt8 {
    fileprivate var asciiDigit: Int? {
        self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") ? Int(self - UInt8(ascii: "0")) : nil
    }
}
