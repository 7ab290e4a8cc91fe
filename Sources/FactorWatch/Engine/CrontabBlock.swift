#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The crontab lines that run the pipeline's jobs under `factorwatch run` and evaluate every few minutes.
///
/// Debian's cron runs jobs on the host's clock and ignores CRON_TZ, so the job times are converted from the
/// configured zone to the host's (with a comment saying until when that holds, where either zone has daylight
/// saving time); `cronTZ` keeps the times and emits CRON_TZ instead, for a cron that honours it (cronie).
public struct CrontabBlock {
    public enum Format: String, Sendable, CaseIterable {
        /// A user's crontab (`crontab -e`): five time fields, then the command.
        case crontab
        /// A file in /etc/cron.d: five time fields, the user, then the command.
        case cronD = "cron.d"
    }

    public var configuration: Configuration
    public var configPath: String
    public var binary: String
    public var everyMinutes: Int
    public var evalLog: String
    public var format: Format = .crontab
    /// The user cron.d lines run as.
    public var user = "factorwatch"
    /// The zone the host's cron daemon runs in.
    public var hostZone: TimeZoneRules = .utc
    /// The instant whose offsets the conversion uses.
    public var now = Date()
    public var cronTZ = false

    public init(configuration: Configuration, configPath: String, binary: String, everyMinutes: Int, evalLog: String) {
        self.configuration = configuration
        self.configPath = configPath
        self.binary = binary
        self.everyMinutes = everyMinutes
        self.evalLog = evalLog
    }

    /// Jobs whose schedule cannot be converted exactly, with why; their lines are left out (commented).
    public var problems: [String] { entries.compactMap(\.problem) }

    public var text: String {
        (["# factorwatch: the pipeline's jobs and the evaluation (from `factorwatch cron`)"] + header()
            + entries.flatMap(\.lines)).joined(separator: "\n")
    }

    /// The block as data, for `cron --format json`: the zones, the entries and the text itself.
    public var json: String {
        struct Block: Encodable {
            let format: String, zone: String, host_zone: String, cron_tz: Bool, entries: [CrontabEntry]
            let problems: [String], text: String
        }
        return encodeJSON(Block(format: format.rawValue, zone: configuration.zone.identifier,
                                host_zone: hostZone.identifier, cron_tz: cronTZ, entries: entries,
                                problems: problems, text: text))
    }

    /// One entry per job (its schedule in the configured zone and on the host's clock), then eval and, with a
    /// Tushare calendar, the weekly calendar update.
    public var entries: [CrontabEntry] {
        let fw = shellQuote(binary) + " "
        let config = "--config " + shellQuote(configPath)
        var entries: [CrontabEntry] = []
        for job in configuration.jobs {
            var entry = CrontabEntry(kind: "job", job: job.name, schedule: job.schedule)
            guard let schedule = job.schedule else {
                entry.problemComment = "# \(job.name): no schedule configured"
                entries.append(entry)
                continue
            }
            guard let command = job.command else {
                entry.problemComment = "# \(job.name) (\(schedule)): no command configured; add `command:` under "
                    + "collectors.jobs"
                entries.append(entry)
                continue
            }
            let redirect = job.log.map { " >> \(shellQuote($0)) 2>&1" } ?? ""
            // cron turns an unescaped % into a line break.
            entry.command = "\(fw)run \(config) --job \(shellQuote(job.name)) -- sh -c \(shellQuote(command))"
                .replacing("%", with: "\\%") + redirect
            switch times(schedule) {
            case .success(let converted):
                entry.hostSchedules = converted
                if converted != [schedule] { entry.zoneComment = "# \(job.name): \(schedule) \(configuration.zone.identifier)" }
            case .failure(let reason):
                let problem = "\(job.name) (\(schedule) \(configuration.zone.identifier)): cannot be converted "
                    + "exactly to \(hostZone.identifier): \(reason); use `factorwatch systemd` (its timers keep the "
                    + "zone) or run cron in \(configuration.zone.identifier)"
                entry.problem = problem
                entry.problemComment = "# NOT CONVERTED " + problem
            }
            entry.user = format == .cronD ? user : nil
            entries.append(entry)
        }
        let minutes = everyMinutes == 1 ? "*" : "*/\(everyMinutes)"
        entries.append(CrontabEntry(kind: "eval", schedule: "\(minutes) * * * *", hostSchedules: ["\(minutes) * * * *"],
                                    user: format == .cronD ? user : nil,
                                    command: "\(fw)eval \(config) >> \(shellQuote(evalLog)) 2>&1"))
        if configuration.calendarSettings.tushare != nil {
            entries.append(CrontabEntry(kind: "calendar", schedule: "17 6 * * 1", hostSchedules: ["17 6 * * 1"],
                                        user: format == .cronD ? user : nil,
                                        command: "\(fw)calendar update \(config) >> \(shellQuote(evalLog)) 2>&1"))
        }
        return entries
    }

    /// The zone lines: CRON_TZ, or what the conversion assumed and until when it holds.
    private func header() -> [String] {
        var lines = format == .cronD ? ["SHELL=/bin/sh", "PATH=/usr/local/bin:/usr/bin:/bin"] : []
        let zone = configuration.zone
        if cronTZ { return ["CRON_TZ=\(zone.identifier)"] + lines }
        guard shiftMinutes != 0 || zone.identifier != hostZone.identifier else { return lines }
        var comment = ["# Job times converted from \(zone.identifier) (\(offsetText(zone))) to this host's zone, "
                       + "\(hostZone.identifier) (\(offsetText(hostZone))): cron runs jobs on the host's clock."]
        if let change = CronConversion.clockChange(after: now, zone, hostZone) {
            comment.append("# Daylight saving time: right until \(Timestamp.format(change, in: hostZone)), when a clock "
                           + "changes; run `factorwatch cron` again then, or use `factorwatch systemd`.")
        } else {
            comment.append("# Neither zone changes its clock, so these times hold all year.")
        }
        return comment + lines
    }

    private var shiftMinutes: Int { (hostZone.offset(at: now) - configuration.zone.offset(at: now)) / 60 }

    private func offsetText(_ zone: TimeZoneRules) -> String {
        let seconds = zone.offset(at: now)
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "UTC" + sign + two(minutes / 60) + ":" + two(minutes % 60)
    }

    private func times(_ schedule: String) -> Result<[String], CronConversion.Inexact> {
        guard !cronTZ, let parsed = try? CronSchedule(schedule) else { return .success([schedule]) }
        do {
            let converted = try CronConversion.convert(parsed, shiftMinutes: shiftMinutes)
            return .success(converted == [CronConversion.fiveFields(schedule).joined(separator: " ")]
                            ? [schedule] : converted)
        } catch {
            return .failure(error)
        }
    }
}

/// One job (or the evaluation, or the calendar update) in the block.
public struct CrontabEntry: Sendable, Encodable {
    /// `job`, `eval` or `calendar`.
    public var kind: String
    public var job: String?
    /// As configured, in the configured zone.
    public var schedule: String?
    /// The schedules written for the host's cron (more than one where a conversion splits a schedule).
    public var hostSchedules: [String] = []
    public var user: String?
    public var command: String?
    /// Why the entry is not written, when it is not.
    public var problem: String?
    var zoneComment: String?
    var problemComment: String?

    init(kind: String, job: String? = nil, schedule: String?, hostSchedules: [String] = [], user: String? = nil,
         command: String? = nil) {
        self.kind = kind
        self.job = job
        self.schedule = schedule
        self.hostSchedules = hostSchedules
        self.user = user
        self.command = command
    }

    /// The crontab lines: the entry's comments, then one line per host schedule.
    var lines: [String] {
        if let problemComment { return [problemComment] }
        let who = user.map { " " + $0 } ?? ""
        return (zoneComment.map { [$0] } ?? []) + hostSchedules.map { $0 + who + " " + (command ?? "") }
    }

    enum CodingKeys: String, CodingKey {
        case kind, job, schedule, hostSchedules = "host_schedules", user, command, problem
    }
}

/// The zone the host's cron runs in: $TZ when set, else /etc/timezone, else /etc/localtime, else UTC.
public func hostTimeZone(environment: [String: String]) -> TimeZoneRules {
    if var name = environment["TZ"], !name.isEmpty {
        if name.hasPrefix(":") { name.removeFirst() }
        if name.hasPrefix("/usr/share/zoneinfo/") { name.removeFirst("/usr/share/zoneinfo/".count) }
        if let zone = try? TimeZoneRules(identifier: name) { return zone }
    }
    if let data = FileManager.default.contents(atPath: "/etc/timezone"),
       let name = String(validating: data, as: UTF8.self)?.trimmed(),
       let zone = try? TimeZoneRules(identifier: name) {
        return zone
    }
    var buffer = [CChar](repeating: 0, count: 1_024)
    let count = readlink("/etc/localtime", &buffer, 1_023)
    let target = count > 0 ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    if let range = target.firstRange(of: "zoneinfo/"), let zone = try? TimeZoneRules(identifier: String(target[range.upperBound...])) {
        return zone
    }
    if let zone = try? TimeZoneRules(identifier: "localtime", zoneDirectory: "/etc") { return zone }
    return .utc
}

/// Single-quoted for sh unless it is plainly safe.
public func shellQuote(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-:=+@,".contains($0) }
    if safe && !text.isEmpty { return text }
    return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}

/// This process's executable, as cron should call it.
public func executablePath() -> String {
    var buffer = [CChar](repeating: 0, count: 4_096)
    let count = readlink("/proc/self/exe", &buffer, 4_095)
    guard count > 0 else { return "factorwatch" }
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `path` made absolute against the working directory.
public func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : normalizePath(currentDirectory() + "/" + path)
}
