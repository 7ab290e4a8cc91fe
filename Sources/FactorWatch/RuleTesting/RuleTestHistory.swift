#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One `history:` entry of a test case: a series and its past values, one per trading day from `start` (a
/// date), or one per job run from `start` (a time, runs a day apart) for the job-run metrics.
public struct RuleTestHistoryEntry: Sendable {
    public var metric: String
    public var labels: Labels
    public var start: String
    /// nil: no figure that day (no file, or no run).
    public var values: [Double?]
    public var location: SourceLocation
}

extension RuleTestHistoryEntry {
    /// Writes the entries into a test's state database, as evaluations and `factorwatch run` would have.
    static func install(_ entries: [RuleTestHistoryEntry], into store: StateStore, calendar: TradingCalendar,
                        zone: TimeZoneRules) throws {
        let history = try HistoryStore(store: store)
        var days: [LocalDate: [Observation]] = [:]
        for entry in entries {
            if HistoryFrame.runMetrics.contains(entry.metric) {
                guard let first = Timestamp.parse(entry.start, in: zone), let job = entry.labels["job"] else { continue }
                for (index, value) in entry.values.enumerated() {
                    guard let value else { continue }
                    let finished = first.addingTimeInterval(Double(index) * 86_400)
                    let code: Int32 = entry.metric == "job_last_exit_code" ? Int32(value) : 0
                    let duration = entry.metric == "job_last_duration_seconds" ? value : 60
                    try store.recordJobRun(JobRun(job: job, host: "test", pid: nil,
                                                  startedAt: finished.addingTimeInterval(-duration),
                                                  finishedAt: finished, exitCode: code))
                }
                continue
            }
            guard var day = LocalDate(entry.start.filter { $0 != "-" }) else { continue }
            if !calendar.isOpen(day) { day = next(after: day, calendar) }
            for value in entry.values {
                if let value { days[day, default: []].append(Observation(entry.metric, entry.labels, value)) }
                day = next(after: day, calendar)
            }
        }
        for (date, observations) in days {
            try history.record(HistoryDay(date: date, observations: observations), source: "test", at: Date())
        }
    }

    private static func next(after day: LocalDate, _ calendar: TradingCalendar) -> LocalDate {
        var candidate = day.adding(days: 1)
        while !calendar.isOpen(candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }

    /// promtool's expanding notation: `1 2 3`, `0.01+0x19` (20 values), `100-5x3`, `_` (no value), `_x4`.
    static func expand(_ text: String) -> [Double?]? {
        var values: [Double?] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let parts = word.split(separator: "x", maxSplits: 1)
            let repeats = parts.count == 2 ? Int(parts[1]) : 0
            guard let repeats, repeats >= 0, repeats <= 10_000 else { return nil }
            let head = String(parts[0])
            if head == "_" {
                values += Array(repeating: nil, count: max(repeats, 1))
                continue
            }
            var start = head, step = 0.0
            if parts.count == 2, let sign = head.dropFirst().lastIndex(where: { $0 == "+" || $0 == "-" }) {
                guard let delta = Double(head[sign...]) else { return nil }
                step = delta
                start = String(head[..<sign])
            }
            guard let first = ExpositionLine.number(start) else { return nil }
            for index in 0...repeats { values.append(first + Double(index) * step) }
        }
        return values
    }
}

extension CaseContext {
    /// `history: [{series: 'metric{labels}', start: DATE or TIME, values: '…'}]`.
    func decodeHistory(_ node: ConfigNode?) -> [RuleTestHistoryEntry] {
        guard let node, let items = decoder.list(node, what: "history") else { return [] }
        return items.compactMap { item in
            guard let f = decoder.fields(item, what: "history entry", allowed: ["series", "start", "values"]),
                  let seriesNode = f.required("series", problems),
                  let series = decoder.string(seriesNode, what: "series"),
                  let start = f.required("start", problems).flatMap({ decoder.string($0, what: "start") }),
                  let valuesNode = f.required("values", problems),
                  let text = decoder.string(valuesNode, what: "values") else { return nil }
            guard let parsed = try? ExpositionLine.parse(series + " 0") else {
                problems.error(seriesNode.location, "series: \"\(series)\" is not metric{label=\"value\", …}")
                return nil
            }
            guard let values = RuleTestHistoryEntry.expand(text) else {
                problems.error(valuesNode.location, "values: \"\(text)\" is not a list such as \"1 2 _ 4\" or "
                               + "\"0.01+0x19\" (promtool's expanding notation)")
                return nil
            }
            let isRun = HistoryFrame.runMetrics.contains(parsed.metric)
            if isRun ? Timestamp.parse(start, in: zone) == nil : LocalDate(start.filter { $0 != "-" }) == nil {
                problems.error(item.location, isRun
                    ? "start: \"\(start)\" must be a time such as 2026-10-01T03:00:00+08:00 (one run a day from it)"
                    : "start: \"\(start)\" must be a date such as 2026-10-08 (one value per trading day from it)")
                return nil
            }
            return RuleTestHistoryEntry(metric: parsed.metric, labels: parsed.labels, start: start, values: values,
                                        location: item.location)
        }
    }
}
