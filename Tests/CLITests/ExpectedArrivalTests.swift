import Foundation
import Testing

/// A night under the README's `*/5` cron: `factorwatch eval` every five minutes from 00:00 to 03:30 on Tuesday
/// 2026-11-24, with Friday's file there and Monday's written at 02:35 (or never), as cron runs it.
@Suite struct ExpectedArrivalTests {
    /// The alert log lines (JSON, one per notice) after the night, as `RULE STATE at HH:MM`.
    func night(expectedBy: String?, arrivesAt arrival: String?) throws -> [String] {
        let scratch = Scratch()
        scratch.write("data/20261120.parquet", "Friday")
        scratch.write("channels/alerts_log.yaml", "type: log\npath: \(scratch.path)/alerts.log\nformat: json\n")
        let expected = expectedBy.map { ", expected_by: \"\($0)\"" } ?? ""
        let config = scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            calendar: weekdays
            state: \(scratch.path)/state/fw.db
            rules: [\(repositoryRoot)/rules/factor_files.yaml]
            collectors:
              factor_files: { dir: data, quality: false\(expected) }
            routes:
              critical: { channels: [alerts_log], repeat: 2h }
              high: { channels: [alerts_log], repeat: 12h }
              medium: { channels: [alerts_log], repeat: 24h }
            """)
        var lines: [String] = []
        var seen = 0
        for minute in stride(from: 0, through: 210, by: 5) {
            let time = String(format: "%02d:%02d", minute / 60, minute % 60)
            if time == arrival { scratch.write("data/20261123.parquet", "Monday") }
            let result = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T\(time):00+08:00"])
            #expect(result.status == 0, "\(time): \(result.stderr)")
            let log = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
            let entries = log.split(separator: "\n")
            for entry in entries.dropFirst(seen) {
                let object = try JSONSerialization.jsonObject(with: Data(entry.utf8)) as? [String: Any]
                lines.append("\(object?["rule"] as? String ?? "?") \(object?["status"] as? String ?? "?") at \(time)")
            }
            seen = entries.count
        }
        return lines
    }

    @Test func aFileArrivingAt0235BeforeItsExpectedTimeIsNeverLate() throws {
        #expect(try night(expectedBy: "03:00", arrivesAt: "02:35") == [])
    }

    @Test func aFileStillMissingAtItsExpectedTimeIsLateThenAndNotBefore() throws {
        #expect(try night(expectedBy: "03:00", arrivesAt: nil) == ["FactorDataLate firing at 03:00"])
    }

    @Test func withoutAnExpectedTimeTheNightFiresAtMidnightAndResolvesOnArrival() throws {
        // The behaviour `expected_by` exists for: late at 00:00, resolved once the file lands.
        #expect(try night(expectedBy: nil, arrivesAt: "02:35")
                == ["FactorDataLate firing at 00:00", "FactorDataLate resolved at 02:35"])
    }
}
