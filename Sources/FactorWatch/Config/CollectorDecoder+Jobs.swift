import ByteRegex

/// A pipeline job as `factorwatch cron` and `factorwatch run` see it.
public struct JobEntry: Sendable, Equatable {
    public var name: String
    /// The cron schedule as written (5 fields or @daily…).
    public var schedule: String?
    /// The command the crontab line runs (wrapped in `factorwatch run`).
    public var command: String?
    /// Where the crontab line appends the job's output.
    public var log: String?
    /// Seconds after which `factorwatch run` stops a hung job.
    public var timeout: Double?

    public init(name: String, schedule: String? = nil, command: String? = nil, log: String? = nil,
                timeout: Double? = nil) {
        self.name = name
        self.schedule = schedule
        self.command = command
        self.log = log
        self.timeout = timeout
    }
}

extension CollectorDecoder {
    static let jobKeys = ["schedule", "grace", "budget", "timeout", "command", "log", "log_durations"]

    /// `jobs: { NAME: { schedule, grace, budget, timeout, command, log, log_durations: {start, end, timestamp} } }`
    func jobs(_ node: ConfigNode) -> (collector: JobsCollector, entries: [JobEntry])? {
        guard let entries = decoder.entries(node, what: "collector jobs") else { return nil }
        var specs: [JobSpec] = []
        var jobs: [JobEntry] = []
        for entry in entries {
            guard let f = decoder.fields(entry.value, what: "job \(entry.key)", allowed: CollectorDecoder.jobKeys)
            else { continue }
            var spec = JobSpec(name: entry.key)
            var job = JobEntry(name: entry.key)
            if let node = f["schedule"], let text = decoder.string(node, what: "schedule") {
                do {
                    spec.schedule = try CronSchedule(text)
                    job.schedule = text
                } catch {
                    var location = node.location
                    if case .scalar(_, let quoted) = node.value, quoted { location.column += 1 }
                    location.column += max(0, error.column - 1)
                    decoder.problems.error(location, "job \(entry.key) schedule: \(error)")
                }
            }
            spec.grace = f["grace"].flatMap { decoder.duration($0, what: "grace") } ?? 0
            spec.budget = f["budget"].flatMap { decoder.duration($0, what: "budget") }
            job.timeout = f["timeout"].flatMap { decoder.duration($0, what: "timeout") }
            job.command = f["command"].flatMap { decoder.string($0, what: "command") }
            job.log = f["log"].flatMap { decoder.path($0, what: "log") }
            if let node = f["log_durations"] {
                spec.log = logDurations(node, job: entry.key, defaultPath: job.log)
            }
            specs.append(spec)
            jobs.append(job)
        }
        return (JobsCollector(jobs: specs, statePath: statePath, host: host), jobs)
    }

    private func logDurations(_ node: ConfigNode, job: String, defaultPath: String?) -> LogDurationSource? {
        guard let f = decoder.fields(node, what: "job \(job) log_durations",
                                     allowed: ["path", "start", "end", "timestamp"]),
              let startNode = f.required("start", decoder.problems),
              let start = decoder.string(startNode, what: "start"),
              let endNode = f.required("end", decoder.problems), let end = decoder.string(endNode, what: "end")
        else { return nil }
        guard let path = f["path"].flatMap({ decoder.path($0, what: "path") }) ?? defaultPath else {
            decoder.problems.error(node.location, "job \(job) log_durations needs \"path\" (or the job's \"log\")")
            return nil
        }
        for (text, at) in [(start, startNode), (end, endNode)] {
            do { try ByteRegex.validate(text) } catch {
                decoder.problems.error(at.location, "job \(job): invalid regular expression \"\(text)\": \(error)")
                return nil
            }
        }
        var format = LogTimestampFormat.standard
        if let node = f["timestamp"], let text = decoder.string(node, what: "timestamp") {
            do { format = try LogTimestampFormat(text) } catch {
                decoder.problems.error(node.location, "\(error)")
                return nil
            }
        }
        return LogDurationSource(path: path, startPattern: start, endPattern: end, timestampFormat: format)
    }

    /// `logs: { NAME: { path, patterns: { NAME: REGEX } } }`
    func logs(_ node: ConfigNode) -> [any Collector]? {
        guard let entries = decoder.entries(node, what: "collector logs") else { return nil }
        var specs: [LogSpec] = []
        for entry in entries {
            guard let f = decoder.fields(entry.value, what: "log \(entry.key)", allowed: ["path", "patterns"]),
                  let pathNode = f.required("path", decoder.problems),
                  let path = decoder.path(pathNode, what: "path"),
                  let patternsNode = f.required("patterns", decoder.problems),
                  let patternEntries = decoder.entries(patternsNode, what: "patterns") else { continue }
            var patterns: [LogPattern] = []
            for pattern in patternEntries {
                guard let source = decoder.string(pattern.value, what: "pattern \(pattern.key)") else { continue }
                do { try ByteRegex.validate(source) } catch {
                    decoder.problems.error(pattern.value.location, "log \(entry.key): pattern \(pattern.key) is not a "
                                               + "valid regular expression (RE2 syntax): \(error)")
                    continue
                }
                patterns.append(LogPattern(name: pattern.key, source: source))
            }
            specs.append(LogSpec(name: entry.key, path: path, patterns: patterns))
        }
        return [LogsCollector(logs: specs)]
    }

    /// `system: {}`
    func system(_ node: ConfigNode) -> [any Collector]? {
        guard decoder.fields(node, what: "collector system", allowed: []) != nil else { return nil }
        return [SystemCollector()]
    }
}
