/// systemd `.service` + `.timer` units for the evaluation and the configured jobs. Timers name the configured zone
/// (`OnCalendar=*-*-* 02:00:00 Asia/Shanghai`), so they keep the exchange's clock on a host in any zone, through
/// daylight saving time; `Persistent=true` runs a start missed while the host was down; output goes to the journal.
public struct SystemdUnits {
    public var configuration: Configuration
    public var configPath: String
    public var binary: String
    public var everyMinutes: Int
    public var user = "factorwatch"

    public init(configuration: Configuration, configPath: String, binary: String, everyMinutes: Int) {
        self.configuration = configuration
        self.configPath = configPath
        self.binary = binary
        self.everyMinutes = everyMinutes
    }

    /// File name → contents.
    public var files: [(name: String, text: String)] {
        let config = "--config " + systemdQuote(configPath)
        var files = units(name: "factorwatch-eval", what: "factorwatch evaluation: collect, evaluate rules, notify",
                          exec: "\(systemdQuote(binary)) eval \(config)",
                          calendars: ["*-*-* *:00/\(everyMinutes):00"], log: nil)
        for job in configuration.jobs {
            guard let schedule = job.schedule, let command = job.command,
                  let parsed = try? CronSchedule(schedule) else { continue }
            let exec = "\(systemdQuote(binary)) run \(config) --job \(systemdQuote(job.name)) -- sh -c "
                + systemdQuote(command)
            files += units(name: "factorwatch-job-" + unitName(job.name), what: "pipeline job \(job.name) (\(schedule))",
                           exec: exec, calendars: SystemdUnits.calendars(parsed, zone: configuration.zone.identifier),
                           log: job.log)
        }
        return files
    }

    private func units(name: String, what: String, exec: String, calendars: [String], log: String?)
        -> [(name: String, text: String)] {
        let output = log.map { "append:" + $0 } ?? "journal"
        let service = """
            [Unit]
            Description=\(what)
            Documentation=man:factorwatch(1)
            Wants=network-online.target
            After=network-online.target

            [Service]
            Type=oneshot
            User=\(user)
            ExecStart=\(exec)
            StandardOutput=\(output)
            StandardError=\(log == nil ? "journal" : "inherit")
            SyslogIdentifier=\(name)

            """
        let timer = """
            [Unit]
            Description=Start \(name).service on schedule

            [Timer]
            \(calendars.map { "OnCalendar=" + $0 }.joined(separator: "\n"))
            Persistent=true
            AccuracySec=1s

            [Install]
            WantedBy=timers.target

            """
        return [(name + ".service", service), (name + ".timer", timer)]
    }

    /// OnCalendar expressions for a cron schedule in `zone`: one, or two when both day fields are restricted
    /// (cron then runs on either; systemd needs both forms).
    static func calendars(_ schedule: CronSchedule, zone: String) -> [String] {
        let time = "\(field(schedule.hours, 0...23, width: 2)):\(field(schedule.minutes, 0...59, width: 2)):00"
        let month = field(schedule.months, 1...12, width: 2)
        let days = field(schedule.daysOfMonth, 1...31, width: 2)
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let weekdays = (0...6).filter { schedule.daysOfWeek & (1 << UInt64($0)) != 0 }.map { names[$0] }
        let weekdayText = weekdays.count == 7 ? "" : weekdays.joined(separator: ",") + " "
        let byDate = "*-\(month)-\(days) \(time) \(zone)"
        if schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted {
            return [byDate, "\(weekdayText)*-\(month)-* \(time) \(zone)"]
        }
        return ["\(weekdayText)\(byDate)"]
    }

    /// A bit set as a systemd calendar component: `*`, or values and `a..b` ranges joined by commas.
    static func field(_ set: UInt64, _ range: ClosedRange<Int>, width: Int) -> String {
        let values = range.filter { set & (1 << UInt64($0)) != 0 }
        if values.count == range.count { return "*" }
        func padded(_ value: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return CronConversion.ranges(values, "..", padded)
    }

    private func unitName(_ job: String) -> String {
        String(job.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }
}

/// A word for a systemd command line: double-quoted when it needs it; `%` and `$` doubled (specifiers, variables).
func systemdQuote(_ text: String) -> String {
    let escaped = text.replacing("%", with: "%%").replacing("$", with: "$$")
    let plain = !escaped.isEmpty && escaped.allSatisfy { $0.isLetter || $0.isNumber || "/._-:=+@,%$".contains($0) }
    if plain { return escaped }
    return "\"" + escaped.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
}
