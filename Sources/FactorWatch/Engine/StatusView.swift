#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The lines of `status`, each an observation in words with the level its rules give it.
struct StatusView {
    typealias Line = StatusReport.Line

    let observations: [Observation]
    let verdicts: StatusVerdicts

    private func values(_ metric: String) -> [Observation] { observations.filter { $0.metric == metric } }

    private func line(_ observation: Observation, _ text: String) -> Line {
        let holding = verdicts.holding(observation.metric, observation.labels)
        let level = holding.map { StatusLevel(severity: $0.severity, pending: $0.pending) }.max() ?? .ok
        return Line(level, text, observation, rules: Array(Set(holding.map(\.rule))).sorted())
    }

    /// One line per series of `metric`.
    func lines(_ metric: String, text: (Observation) -> String) -> [Line] {
        values(metric).map { line($0, text($0)) }
    }

    /// Freshness, rows, then every factor check a rule flags now (one line per rule), else one all-clear line.
    func factorLines() -> [Line] {
        var out = lines("factor_file_age_trading_days") { age in
            let days = Int(age.value)
            return "latest file \(age.labels.annotation("date") ?? "?") in \(age.labels["dir"] ?? "?"): "
                + (days == 0 ? "up to date" : "\(days) trading day\(days == 1 ? "" : "s") missing")
        }
        if let rows = values("factor_rows").first {
            let change = values("factor_rows_change_fraction").first
            var row = line(rows, "\(formatValue(rows.value)) stocks" + (change.map {
                " (" + formatDouble($0.value * 100, format: "%+.1f") + "% on the previous file)"
            } ?? ""))
            if let change { row.level = max(row.level, line(change, "").level) }
            out.append(row)
        }
        if let worst = values("factor_missing_fraction").max(by: { $0.value < $1.value }), worst.value > 0 {
            out.append(line(worst, "most missing: \(worst.labels["column"] ?? "?") "
                            + formatDouble(worst.value * 100, format: "%.1f") + "%"))
        }
        out.append(contentsOf: flaggedChecks())
        return out
    }

    /// Metrics shown on lines of their own, not again among the flagged checks.
    private static let shownAlone: Set = ["factor_file_age_trading_days", "factor_rows", "factor_rows_change_fraction",
                                          "factor_missing_fraction"]

    /// `FactorZeroVariance: growth, leverage` for every rule that holds for some factor-file series.
    private func flaggedChecks() -> [Line] {
        var byRule: [String: (level: StatusLevel, names: Set<String>)] = [:]
        for observation in observations
        where observation.metric.hasPrefix("factor_") && !Self.shownAlone.contains(observation.metric) {
            for holding in verdicts.holding(observation.metric, observation.labels) {
                let name = observation.labels["factor"] ?? observation.labels["column"]
                    ?? observation.labels["industry"] ?? observation.metric
                let level = StatusLevel(severity: holding.severity, pending: holding.pending)
                let entry = byRule[holding.rule] ?? (.ok, [])
                byRule[holding.rule] = (max(entry.level, level), entry.names.union([name]))
            }
        }
        guard !byRule.isEmpty else {
            return observations.contains { $0.metric.hasPrefix("factor_") }
                ? [Line(.ok, "every factor check passes")] : []
        }
        return byRule.sorted { $0.value.level != $1.value.level ? $0.value.level > $1.value.level : $0.key < $1.key }
            .map { rule, entry in
                var line = Line(entry.level, "\(rule): " + entry.names.sorted().joined(separator: ", "))
                line.rules = [rule]
                return line
            }
    }

    /// The last run (or the running one), and a missed start; the level from the rules on the job's series.
    func jobLine(_ job: String, summary: JobRunSummary?, zone: TimeZoneRules) -> Line {
        func metric(_ name: String) -> Observation? { values(name).first { $0.labels["job"] == job } }
        var text = job + ": "
        if let running = metric("job_running_seconds"), running.value > 0 {
            text += "running for \(formatDuration(seconds: running.value))"
        } else if let last = summary?.lastFinished, let end = last.finishedAt {
            text += "last run \(Timestamp.format(last.startedAt, in: zone)), "
                + "took \(formatDuration(seconds: end.timeIntervalSince(last.startedAt))), exit \(last.exitCode ?? -1)"
                + (last.timedOut ? " (timed out)" : "")
        } else if let duration = metric("job_last_duration_seconds") {
            text += "last run (from its log) took \(formatDuration(seconds: duration.value))"
        } else if let new = metric("job_new"), new.value == 1 {
            let due = metric("job_unrecorded_starts")?.value ?? 0
            text += "new: no run recorded yet; JobMissed starts after its first run"
                + (due > 0 ? " (\(formatValue(due)) scheduled start\(due == 1 ? "" : "s") passed unrecorded: "
                    + "is its crontab line wrapped with factorwatch run?)" : "")
        } else {
            text += "no run recorded"
        }
        if let overdue = metric("job_overdue_seconds"), overdue.value > 0 {
            text += "; MISSED: \(formatDuration(seconds: overdue.value)) past its scheduled start"
        }
        let series = observations.filter { $0.metric.hasPrefix("job_") && $0.labels["job"] == job }
        let holding = series.flatMap { verdicts.holding($0.metric, $0.labels) }
        var line = Line(holding.map { StatusLevel(severity: $0.severity, pending: $0.pending) }.max() ?? .ok, text)
        line.rules = holding.isEmpty ? nil : Array(Set(holding.map(\.rule))).sorted()
        return line
    }
}
