#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// UTC offsets of one IANA time zone, read from the system's compiled zone files (TZif), or a fixed offset.
///
/// Foundation's named time zones need ICU; reading the zone file keeps the binary small and the answer the
/// same as `date` on the host.
public struct TimeZoneRules: Sendable, Equatable {
    public let identifier: String
    /// Transition instants (seconds since the epoch, ascending) and the offset in force from each one.
    private let transitions: [Int64]
    private let offsets: [Int32]
    private let initialOffset: Int32
    /// The version 2+ footer: offsets after the last listed transition.
    private let footer: PosixTimeZoneRule?

    public static let utc = TimeZoneRules(fixed: "UTC", offset: 0)

    public init(fixed identifier: String, offset seconds: Int) {
        self.identifier = identifier
        transitions = []
        offsets = []
        initialOffset = Int32(seconds)
        footer = nil
    }

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unknown(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .unknown(let name): "unknown time zone \"\(name)\" (use an IANA name such as Asia/Shanghai, UTC or +08:00)"
            case .malformed(let path): "cannot read time zone file \(path)"
            }
        }
    }

    /// `Asia/Shanghai`, `UTC`, `+08:00`.
    public init(identifier: String, zoneDirectory: String = "/usr/share/zoneinfo") throws(LoadError) {
        if identifier == "UTC" || identifier == "Z" || identifier == "GMT" {
            self = .utc
            return
        }
        if let offset = TimeZoneRules.parseOffset(identifier) {
            self.init(fixed: identifier, offset: offset)
            return
        }
        guard !identifier.isEmpty, !identifier.contains(".."), !identifier.hasPrefix("/") else {
            throw .unknown(identifier)
        }
        let path = zoneDirectory + "/" + identifier
        guard let data = FileManager.default.contents(atPath: path) else { throw .unknown(identifier) }
        guard let parsed = TimeZoneRules.parseTZif([UInt8](data)) else { throw .malformed(path) }
        self.init(identifier: identifier, transitions: parsed.transitions, offsets: parsed.offsets,
                  initialOffset: parsed.initial, footer: parsed.footer)
    }

    private init(identifier: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32,
                 footer: PosixTimeZoneRule?) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.footer = footer
    }

    /// Seconds east of UTC in force at `date`.
    public func offset(at date: Date) -> Int {
        let t = Int64(date.timeIntervalSince1970.rounded(.down))
        if let footer, transitions.last.map({ t >= $0 }) ?? true { return footer.offset(at: t) }
        guard !transitions.isEmpty, t >= transitions[0] else { return Int(initialOffset) }
        var low = 0, high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= t { low = mid } else { high = mid - 1 }
        }
        return Int(offsets[low])
    }

    public func localDateTime(_ date: Date) -> LocalDateTime {
        let t = Int64(date.timeIntervalSince1970.rounded(.down))
        return LocalDateTime(wallSeconds: t + Int64(offset(at: date)))
    }

    public func localDate(_ date: Date) -> LocalDate { localDateTime(date).date }

    /// The instant a wall-clock time names. In a gap (spring forward) the time after the gap; in an overlap the
    /// earlier instant.
    public func date(from local: LocalDateTime) -> Date {
        let wall = local.wallSeconds
        var candidates: [Int64] = []
        for guess in [wall - Int64(offset(at: Date(timeIntervalSince1970: Double(wall)))),
                      wall - Int64(offset(at: Date(timeIntervalSince1970: Double(wall - 86_400)))),
                      wall - Int64(offset(at: Date(timeIntervalSince1970: Double(wall + 86_400))))] {
            let instant = Date(timeIntervalSince1970: Double(guess))
            if guess + Int64(offset(at: instant)) == wall { candidates.append(guess) }
        }
        if let earliest = candidates.min() { return Date(timeIntervalSince1970: Double(earliest)) }
        // A gap: use the offset before the transition, which lands after it.
        let before = Int64(offset(at: Date(timeIntervalSince1970: Double(wall - 86_400))))
        return Date(timeIntervalSince1970: Double(wall - before))
    }

    /// `+08:00`, `-0530`, `+8`.
    static func parseOffset(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let body = String(text.dropFirst().filter { $0 != ":" })
        guard !body.isEmpty, body.allSatisfy(\.isNumber), body.count <= 4 else { return nil }
        let hours: Int, minutes: Int
        if body.count <= 2 {
            hours = Int(body)!
            minutes = 0
        } else {
            hours = Int(body.dropLast(2))!
            minutes = Int(body.suffix(2))!
        }
        guard hours <= 18, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }

    private static func parseTZif(_ bytes: [UInt8])
        -> (transitions: [Int64], offsets: [Int32], initial: Int32, footer: PosixTimeZoneRule?)? {
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard at + 44 <= bytes.count, bytes[at] == 0x54, bytes[at + 1] == 0x5A, bytes[at + 2] == 0x69,
                  bytes[at + 3] == 0x66 else { return nil }
            guard let a = u32(at + 20), let b = u32(at + 24), let c = u32(at + 28), let d = u32(at + 32),
                  let e = u32(at + 36), let f = u32(at + 40) else { return nil }
            return (a, b, c, d, e, f)
        }
        guard let first = header(0) else { return nil }
        let version = bytes[4]
        var base = 44
        var timeSize = 4
        var counts = first
        if version >= 0x32 {
            // Skip the 32-bit block and read the 64-bit one.
            let v1Size = first.time * 4 + first.time + first.type * 6 + first.char + first.leap * 8 + first.isstd
                + first.isut
            guard let second = header(44 + v1Size) else { return nil }
            counts = second
            base = 44 + v1Size + 44
            timeSize = 8
        }
        let timesEnd = base + counts.time * timeSize
        let indexEnd = timesEnd + counts.time
        let typesEnd = indexEnd + counts.type * 6
        guard counts.type > 0, typesEnd <= bytes.count else { return nil }
        var typeOffsets: [Int32] = []
        for index in 0..<counts.type {
            guard let raw = u32(indexEnd + index * 6) else { return nil }
            typeOffsets.append(Int32(truncatingIfNeeded: raw))
        }
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        for index in 0..<counts.time {
            let at = base + index * timeSize
            var value: Int64 = 0
            for byte in bytes[at..<(at + timeSize)] { value = value << 8 | Int64(byte) }
            if timeSize == 4 { value = Int64(Int32(truncatingIfNeeded: value)) }
            let type = Int(bytes[timesEnd + index])
            guard type < typeOffsets.count else { return nil }
            transitions.append(value)
            offsets.append(typeOffsets[type])
        }
        var footer: PosixTimeZoneRule?
        if timeSize == 8 {
            // RFC 8536 §3.3: after the 64-bit data block, the TZ string between two newlines.
            let dataEnd = typesEnd + counts.char + counts.leap * 12 + counts.isstd + counts.isut
            if dataEnd < bytes.count, bytes[dataEnd] == 0x0A,
               let close = bytes[(dataEnd + 1)...].firstIndex(of: 0x0A) {
                footer = PosixTimeZoneRule(String(decoding: bytes[(dataEnd + 1)..<close], as: UTF8.self))
            }
        }
        return (transitions, offsets, typeOffsets[0], footer)
    }
}
