#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The morning checklist on one screen: the latest factor file and its quality, disk, each job's last run, missed
/// runs, active alerts, silences and notifications that could not be delivered. Reads; never writes.
public struct StatusReport {
    public struct Line: Sendable, Encodable {
        /// `ok`, `warn` or `bad`.
        public var level: String
        public var text: String
    }

    public var at: Date
    public var zone: TimeZoneRules
    public var sections: [(title: String, lines: [Line])] = []

    public init(configuration: Configuration, now: Date) throws {
        at = now
        zone = configuration.zone
        let store = try StateStore(path: configuration.statePath, readOnly: true)
        let memory = BufferedMemory(values: try store.memoryValues())
        let context = CollectionContext(now: now, zone: zone, calendar: configuration.calendar, memory: memory)
        let collected = CollectorRunner.run(configuration.collectors, context: context)
        let index = Dictionary(grouping: collected.observations, by: \.metric)
        func values(_ metric: String) -> [Observation] { index[metric] ?? [] }

        var data: [Line] = []
        for age in values("factor_file_age_trading_days") {
            let date = age.labels.annotation("date") ?? "?"
            let days = Int(age.value)
            data.append(Line(level: days >= 2 ? "bad" : days == 1 ? "warn" : "ok",
                             text: "latest file \(date) in \(age.labels["dir"] ?? "?"): "
                                 + (days == 0 ? "up to date" : "\(days) trading day\(days == 1 ? "" : "s") missing")))
        }
        if let rows = values("factor_rows").first {
            let change = values("factor_rows_change_fraction").first.map {
                " (" + formatDouble($0.value * 100, format: "%+.1f") + "% on the previous file)"
            } ?? ""
            data.append(Line(level: rows.value < 4000 ? "warn" : "ok", text: "\(formatValue(rows.value)) stocks\(change)"))
        }
        let flat = values("factor_constant").filter { $0.value == 1 }.compactMap { $0.labels["factor"] }
        data.append(Line(level: flat.isEmpty ? "ok" : "bad",
                         text: flat.isEmpty ? "every factor has dispersion" : "no dispersion: " + flat.joined(separator: ", ")))
        if let worst = values("factor_missing_fraction").max(by: { $0.value < $1.value }), worst.value > 0 {
            data.append(Line(level: worst.value > 0.2 ? "bad" : worst.value > 0.05 ? "warn" : "ok",
                             text: "most missing: \(worst.labels["column"] ?? "?") "
                                 + formatDouble(worst.value * 100, format: "%.1f") + "%"))
        }
        sections.append(("Factor data", data))

        sections.append(("Disk", values("disk_used_percent").map { disk in
            Line(level: disk.value > 90 ? "bad" : disk.value > 80 ? "warn" : "ok",
                 text: "\(disk.labels["path"] ?? "?"): " + formatDouble(disk.value, format: "%.1f") + "% used")
        }))

        var jobs: [Line] = []
        for job in configuration.jobs {
            let summary = try? store.jobRunSummary(job: job.name)
            func metric(_ name: String) -> Double? {
                values(name).first { $0.labels["job"] == job.name }?.value
            }
            var text = job.name + ": "
            var level = "ok"
            if let running = metric("job_running_seconds"), running > 0 {
                text += "running for \(formatDuration(seconds: running))"
            } else if let last = summary?.lastFinished, let end = last.finishedAt {
                let exit = last.exitCode ?? -1
                text += "last run \(Timestamp.format(last.startedAt, in: zone)), "
                    + "took \(formatDuration(seconds: end.timeIntervalSince(last.startedAt))), exit \(exit)"
                    + (last.timedOut ? " (timed out)" : "")
                if exit != 0 { level = "bad" }
            } else if let duration = metric("job_last_duration_seconds") {
                text += "last run (from its log) took \(formatDuration(seconds: duration))"
            } else {
                text += "no run recorded"
                level = "warn"
            }
            if let overdue = metric("job_overdue_seconds"), overdue > 0 {
                text += "; MISSED: \(formatDuration(seconds: overdue)) past its scheduled start"
                level = "bad"
            }
            jobs.append(Line(level: level, text: text))
        }
        sections.append(("Jobs", jobs))

        let alerts = try store.alerts().values.filter { $0.phase != .resolved }
            .sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.key < $1.key }
        sections.append(("Active alerts", alerts.map { alert in
            Line(level: alert.phase == .pending ? "warn" : alert.severity >= .high ? "bad" : "warn",
                 text: "\(alert.phase == .pending ? "pending" : alert.severity.rawValue) \(alert.key.rule): "
                     + (alert.summary.isEmpty ? formatValue(alert.value) : alert.summary))
        }))
        sections.append(("Silences", try store.silences().filter { $0.isActive(at: now) }.map { silence in
            Line(level: "warn", text: "#\(silence.id) \(silence.rule ?? "any rule") until "
                 + "\(Timestamp.format(silence.endsAt, in: zone)): \(silence.comment)")
        } + configuration.maintenance.compactMap { $0.silence(at: now, zone: zone) }.map { window in
            Line(level: "warn", text: "\(window.comment) until \(Timestamp.format(window.endsAt, in: zone))")
        }))
        sections.append(("Notifications", try store.undelivered().map { entry in
            Line(level: entry.status == .dead ? "bad" : "warn",
                 text: "\(entry.status == .dead ? "DEAD" : "queued") to \(entry.channel), \(entry.attempts) attempts"
                     + (entry.lastError.map { ": \($0)" } ?? ""))
        }))
        sections.append(("Collectors", collected.errors.map { Line(level: "bad", text: "\($0.collector): \($0.message)") }))
    }

    public func text(colour: Bool) -> String {
        let marks = ["ok": ("✓", "\u{1B}[32m"), "warn": ("!", "\u{1B}[33m"), "bad": ("✗", "\u{1B}[31m")]
        var out = ["factorwatch status at \(Timestamp.format(at, in: zone))"]
        for (title, lines) in sections {
            out.append("")
            out.append(colour ? "\u{1B}[1m\(title)\u{1B}[0m" : title)
            if lines.isEmpty { out.append("  none") }
            for line in lines {
                let (mark, code) = marks[line.level] ?? ("·", "")
                out.append(colour ? "  \(code)\(mark)\u{1B}[0m \(line.text)" : "  \(mark) \(line.text)")
            }
        }
        return out.joined(separator: "\n")
    }

    public func json() -> String {
        struct Section: Encodable {
            var title: String
            var lines: [Line]
        }
        struct Document: Encodable {
            var at: String
            var sections: [Section]
        }
        return encodeJSON(Document(at: Timestamp.format(at, in: zone),
                                   sections: sections.map { Section(title: $0.title, lines: $0.lines) }))
    }

    /// True when anything is at the `bad` level.
    public var hasProblems: Bool { sections.contains { $0.lines.contains { $0.level == "bad" } } }
}
