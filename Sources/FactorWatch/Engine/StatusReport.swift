#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The morning checklist on one screen: the latest factor file and its quality, disk, each job's last run, missed
/// runs, active alerts, silences and notifications that could not be delivered. Reads; never writes. Every level
/// comes from the rules and the alert states (`StatusVerdicts`), none from a threshold of its own.
public struct StatusReport {
    public struct Line: Sendable, Encodable {
        public var level: StatusLevel
        public var text: String
        /// The observation the line shows, when it shows one.
        public var metric: String?
        public var labels: [String: String]?
        public var value: Double?
        /// The rules that hold for it now.
        public var rules: [String]?

        init(_ level: StatusLevel, _ text: String) {
            self.level = level
            self.text = text
        }

        init(_ level: StatusLevel, _ text: String, _ observation: Observation, rules: [String]) {
            self.init(level, text)
            metric = observation.metric
            labels = observation.labels.dictionary
            value = observation.value.isFinite ? observation.value : nil
            self.rules = rules.isEmpty ? nil : rules
        }
    }

    public var at: Date
    public var zone: TimeZoneRules
    public var sections: [(title: String, lines: [Line])] = []

    public init(configuration: Configuration, now: Date) throws {
        at = now
        zone = configuration.zone
        let store = try StateStore(path: configuration.statePath, readOnly: true,
                                   busyTimeout: configuration.lockTimeout)
        let memory = try BufferedMemory(store: store, statePath: configuration.statePath)
        let context = CollectionContext(now: now, zone: zone, calendar: configuration.calendar, memory: memory)
        let collected = CollectorRunner.run(configuration.collectors, context: context,
                                            budget: configuration.collectorTimeout)
        let alerts = try store.alerts().values.filter { $0.phase != .resolved }
        let acknowledgements = try store.acknowledgements()
        let view = StatusView(observations: collected.observations,
                              verdicts: StatusVerdicts(rules: configuration.rules, observations: collected.observations,
                                                       alerts: Array(alerts), now: now))
        sections.append(("Factor data", view.factorLines()))
        sections.append(("Disk", view.lines("disk_used_percent") { disk in
            "\(disk.labels["path"] ?? "?"): " + formatDouble(disk.value, format: "%.1f") + "% used"
        }))
        sections.append(("Jobs", configuration.jobs.map { job in
            view.jobLine(job.name, summary: try? store.jobRunSummary(job: job.name), zone: zone)
        }))
        sections.append(("Active alerts", alerts.sorted {
            $0.severity != $1.severity ? $0.severity > $1.severity : $0.key < $1.key
        }.map { alert in
            Line(StatusLevel(severity: alert.severity, pending: alert.phase == .pending),
                 "\(alert.phase == .pending ? "pending" : alert.severity.rawValue) \(alert.key.rule): "
                     + (alert.summary.isEmpty ? formatValue(alert.value) : alert.summary)
                     + (acknowledgements.last { $0.covers(alert, at: now) }.map { " (\($0.wording(in: zone)))" } ?? ""))
        }))
        sections.append(("Silences", try store.silences().filter { $0.isActive(at: now) }.map { silence in
            Line(.warn, "#\(silence.id) \(silence.rule ?? "any rule") until "
                 + "\(Timestamp.format(silence.endsAt, in: zone)): \(silence.comment)")
        } + configuration.maintenance.compactMap { $0.silence(at: now, zone: zone) }.map { window in
            Line(.warn, "\(window.comment) until \(Timestamp.format(window.endsAt, in: zone))")
        }))
        sections.append(("Notifications", try store.undelivered().map { entry in
            Line(entry.status == .dead ? .bad : .warn,
                 "\(entry.status == .dead ? "DEAD" : "queued") to \(entry.channel), \(entry.attempts) attempts"
                     + (entry.lastError.map { ": \($0)" } ?? ""))
        } + heldLines(try store.heldNotices(dueBy: nil))))
        sections.append(("Collectors", collected.errors.map { Line(.bad, "\($0.collector): \($0.message)") }))
    }

    /// `held for email until 2026-11-24T08:30:00+08:00: 3 notices` per channel and time.
    private func heldLines(_ held: [HeldNotice]) -> [Line] {
        Dictionary(grouping: held) { "\($0.channel) until \(Timestamp.format($0.dueAt, in: zone))" }
            .sorted { $0.key < $1.key }
            .map { Line(.ok, "held for \($0.key): \($0.value.count) notice\($0.value.count == 1 ? "" : "s")") }
    }

    public func text(colour: Bool) -> String {
        let marks: [StatusLevel: (String, String)] = [.ok: ("✓", "\u{1B}[32m"), .warn: ("!", "\u{1B}[33m"),
                                                       .bad: ("✗", "\u{1B}[31m")]
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

    /// `{"at": …, "level": worst, "sections": [{"title", "level", "lines": [{level, text, metric, labels, value,
    /// rules}]}]}`.
    public func json() -> String {
        struct Section: Encodable {
            var title: String
            var level: StatusLevel
            var lines: [Line]
        }
        struct Document: Encodable {
            var at: String
            var level: StatusLevel
            var sections: [Section]
        }
        let parts = sections.map { Section(title: $0.title, level: $0.lines.map(\.level).max() ?? .ok, lines: $0.lines) }
        return encodeJSON(Document(at: Timestamp.format(at, in: zone), level: parts.map(\.level).max() ?? .ok,
                                   sections: parts))
    }

    /// True when anything is at the `bad` level.
    public var hasProblems: Bool { sections.contains { $0.lines.contains { $0.level == .bad } } }
}
