import Foundation
import Testing

@testable import FactorWatch

/// The fixtures of scripts/check_fixtures.py and the figures pandas/numpy/scipy give for them.
enum CheckFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"
    static let series = root + "/series/by_date"
    static let dates = ["20261116", "20261117", "20261118", "20261119", "20261120", "20261123", "20261124"]
    static let zone = try! TimeZoneRules(identifier: "Asia/Shanghai")

    /// One file's figures: tables keyed by factor or column, and single numbers.
    struct DayFigures: Sendable {
        var tables: [String: [String: Double]] = [:]
        var numbers: [String: Double] = [:]
    }

    /// Computed once by the script in a child process (read-only afterwards).
    static let expected: [String: DayFigures] = {
        let repository = URL(fileURLWithPath: root).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/check_fixtures.py", "expected", root]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]] ?? [:]
        return json.mapValues { day in
            var figures = DayFigures()
            for (key, value) in day {
                if let table = value as? [String: Any] {
                    figures.tables[key] = table.compactMapValues { ($0 as? NSNumber)?.doubleValue }
                } else if let number = value as? NSNumber {
                    figures.numbers[key] = number.doubleValue
                }
            }
            return figures
        }
    }()

    static func table(_ date: String, _ key: String) -> [String: Double] { expected[date]?.tables[key] ?? [:] }

    static func number(_ date: String, _ key: String) -> Double? { expected[date]?.numbers[key] }

    /// A context in the evening of `date` (YYYYMMDD), so that day's file is the latest.
    static func context(_ date: String, memory: CollectorMemory, calendar: TradingCalendar = .weekdays)
        -> CollectionContext {
        let iso = "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))T20:00"
        return CollectionContext(now: Timestamp.parse(iso, in: zone)!, zone: zone, calendar: calendar, memory: memory)
    }

    /// Runs the collector over the series day by day, as cron would, and returns each day's observations.
    static func runSeries(_ collector: FactorQualityCollector, through last: String = "20261124")
        throws -> [String: [Observation]] {
        let memory = EphemeralMemory()
        var result: [String: [Observation]] = [:]
        for date in dates where date <= last {
            result[date] = try collector.collect(context(date, memory: memory))
        }
        return result
    }
}

extension Array where Element == Observation {
    /// Each series of `metric` keyed by the value of `label`.
    func byLabel(_ metric: String, _ label: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for observation in self where observation.metric == metric {
            if let key = observation.labels[label] { out[key] = observation.value }
        }
        return out
    }

    func single(_ metric: String) -> Observation? {
        let found = filter { $0.metric == metric }
        return found.count == 1 ? found[0] : nil
    }
}

/// Whether two tables agree key for key within a relative tolerance.
func expectClose(_ ours: [String: Double], _ theirs: [String: Double], _ what: String, tolerance: Double = 1e-9,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(Set(ours.keys) == Set(theirs.keys), "\(what): keys differ", sourceLocation: sourceLocation)
    for (key, value) in theirs {
        guard let mine = ours[key] else { continue }
        #expect(abs(mine - value) <= tolerance * max(1, abs(value)), "\(what) \(key): \(mine) vs \(value)",
                sourceLocation: sourceLocation)
    }
}
