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

    /// Computed once by the script in a child process (read-only afterwards); a failure of the script is kept
    /// with its standard error, for the tests to report.
    static let computed: Result<[String: DayFigures], ScriptFailure> = {
        let repository = URL(fileURLWithPath: root).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/check_fixtures.py", "expected", root]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        do { try process.run() } catch { return .failure(ScriptFailure(message: "cannot start python3: \(error)")) }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]] else {
            return .failure(ScriptFailure(message: "scripts/check_fixtures.py failed (exit \(process.terminationStatus); "
                                          + "bash scripts/install-deps.sh installs pandas and scipy): \(stderr)"))
        }
        return .success(json.mapValues { day in
            var figures = DayFigures()
            for (key, value) in day {
                if let table = value as? [String: Any] {
                    figures.tables[key] = table.compactMapValues { ($0 as? NSNumber)?.doubleValue }
                } else if let number = value as? NSNumber {
                    figures.numbers[key] = number.doubleValue
                }
            }
            return figures
        })
    }()

    struct ScriptFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// The script's figures; a failed script is recorded as the calling test's failure, with its message.
    static var expected: [String: DayFigures] {
        switch computed {
        case .success(let figures): return figures
        case .failure(let failure):
            Issue.record(Comment(rawValue: failure.message))
            return [:]
        }
    }

    /// A table the script must have computed: a missing one fails the calling test instead of comparing nothing.
    static func table(_ date: String, _ key: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> [String: Double] {
        guard let table = expected[date]?.tables[key] else {
            Issue.record("check_fixtures.py gave no \(key) table for \(date)", sourceLocation: sourceLocation)
            return [:]
        }
        return table
    }

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
