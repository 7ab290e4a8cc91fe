import Foundation
import Testing

@testable import FactorWatch

/// The converted crontab lines fire exactly when the original schedule does, as systemd's own calendar code sees
/// both: the original in the configured zone, the converted lines in the host's zone.
struct CronConversionTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    /// The next `count` instants of a systemd calendar expression after `base`, as systemd-analyze prints them (UTC).
    func elapses(_ calendar: String, base: String, count: Int) throws -> [String] {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["calendar", "--base-time=\(base)", "--iterations=\(count)", calendar]
        process.environment = ["TZ": "UTC", "PATH": "/usr/bin:/bin"]
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "systemd-analyze refused \(calendar)")
        return text.split(separator: "\n").compactMap { line in
            guard line.contains("Next elapse:") || line.contains("Iter. #") else { return nil }
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    func firings(_ schedules: [CronSchedule], zone: String, base: String, count: Int) throws -> [String] {
        var all: Set<String> = []
        for schedule in schedules {
            for calendar in SystemdUnits.calendars(schedule, zone: zone) {
                all.formUnion(try elapses(calendar, base: base, count: count))
            }
        }
        // "Wed 2026-12-02 18:00:00 UTC": sorted by the date after the weekday.
        return Array(all.sorted { $0.dropFirst(4) < $1.dropFirst(4) }.prefix(count))
    }

    static let schedules = ["0 2 * * *", "45 2 * * 1-5", "*/20 7-9 * * *", "30 23 * * 5", "0 9 15 * *", "@daily",
                            "5 0,12 * * *", "0 2 10 * 1", "15 1 * * 0"]

    /// (configured zone, host zone, base time inside one daylight-saving period of both).
    static let zones = [("Asia/Shanghai", "UTC", "2026-12-01 00:00:00 UTC"),
                        ("Asia/Shanghai", "America/New_York", "2026-12-01 00:00:00 UTC"),
                        ("Europe/London", "UTC", "2026-07-01 00:00:00 UTC"),
                        ("Asia/Kolkata", "UTC", "2026-12-01 00:00:00 UTC")]

    @Test(.enabled(if: available || ProcessInfo.processInfo.environment["CI"] == "true"),
          arguments: schedules)
    func convertedLinesFireWhenTheOriginalDoes(schedule: String) throws {
        let parsed = try CronSchedule(schedule)
        for (configured, host, base) in Self.zones {
            let from = try TimeZoneRules(identifier: configured), to = try TimeZoneRules(identifier: host)
            let instant = Timestamp.parse(base.replacing(" UTC", with: "Z").replacing(" ", with: "T"), in: .utc)!
            let shift = (to.offset(at: instant) - from.offset(at: instant)) / 60
            let lines: [String]
            do { lines = try CronConversion.convert(parsed, shiftMinutes: shift) } catch { continue }
            let converted = try lines.map { try CronSchedule($0) }
            // The conversion holds until a clock changes: compare the firings before it.
            let change = CronConversion.clockChange(after: instant, from, to).map {
                String(Timestamp.format($0, in: .utc).prefix(19)).replacing("T", with: " ")
            } ?? "9999"
            func before(_ firings: [String]) -> [String] { firings.filter { $0.dropFirst(4) < change } }
            let expected = before(try firings([parsed], zone: configured, base: base, count: 8))
            let actual = before(try firings(converted, zone: host, base: base, count: 8))
            #expect(!expected.isEmpty)
            #expect(actual == expected, "\(schedule) \(configured) → \(host) as \(lines)")
        }
    }

    @Test func theGuideExampleAndTheDayBefore() throws {
        #expect(try CronConversion.convert(CronSchedule("0 2 * * *"), shiftMinutes: -480) == ["0 18 * * *"])
        #expect(try CronConversion.convert(CronSchedule("45 2 * * 1-5"), shiftMinutes: -480) == ["45 18 * * 0-4"])
        #expect(try CronConversion.convert(CronSchedule("0 2 10 * 1"), shiftMinutes: -480) == ["0 18 9 * 0"])
        #expect(try CronConversion.convert(CronSchedule("*/20 7-9 * * *"), shiftMinutes: -480)
                == ["*/20 23 * * *", "*/20 0,1 * * *"])
    }

    @Test(arguments: ["0 1 1 * *", "0 2 * 1 1", "0 2 31 * *", "0 2 */2 * *"])
    func whatCannotMoveExactlyIsRefused(schedule: String) throws {
        #expect(throws: CronConversion.Inexact.self) {
            _ = try CronConversion.convert(CronSchedule(schedule), shiftMinutes: -480)
        }
    }

    @Test func daylightSavingTimeEndsTheConversion() throws {
        let shanghai = try TimeZoneRules(identifier: "Asia/Shanghai")
        let london = try TimeZoneRules(identifier: "Europe/London")
        let start = Timestamp.parse("2026-12-01T00:00:00Z", in: .utc)!
        #expect(CronConversion.clockChange(after: start, shanghai, .utc) == nil)
        // The EU clock change: last Sunday of March 2027, 01:00 UTC.
        let change = try #require(CronConversion.clockChange(after: start, shanghai, london))
        #expect(Timestamp.format(change, in: .utc) == "2027-03-28T01:00:00+00:00")
    }
}
