#if canImport(Glibc)
import Glibc
#endif

/// The crontab lines that run the pipeline's jobs under `factorwatch run` and evaluate every few minutes.
public struct CrontabBlock {
    public var configuration: Configuration
    public var configPath: String
    public var binary: String
    public var everyMinutes: Int
    public var evalLog: String

    public init(configuration: Configuration, configPath: String, binary: String, everyMinutes: Int, evalLog: String) {
        self.configuration = configuration
        self.configPath = configPath
        self.binary = binary
        self.everyMinutes = everyMinutes
        self.evalLog = evalLog
    }

    public var text: String {
        let fw = shellQuote(binary) + " "
        let config = "--config " + shellQuote(configPath)
        var lines = [
            "# factorwatch: the pipeline's jobs and the evaluation (from `factorwatch cron`)",
            "CRON_TZ=\(configuration.zone.identifier)",
        ]
        for job in configuration.jobs {
            guard let schedule = job.schedule else {
                lines.append("# \(job.name): no schedule configured")
                continue
            }
            guard let command = job.command else {
                lines.append("# \(job.name) (\(schedule)): no command configured; add `command:` under collectors.jobs")
                continue
            }
            let redirect = job.log.map { " >> \(shellQuote($0)) 2>&1" } ?? ""
            lines.append("\(schedule) \(fw)run \(config) --job \(shellQuote(job.name)) -- sh -c \(shellQuote(command))"
                         + redirect)
        }
        let minutes = everyMinutes == 1 ? "*" : "*/\(everyMinutes)"
        lines.append("\(minutes) * * * * \(fw)eval \(config) >> \(shellQuote(evalLog)) 2>&1")
        if configuration.calendarSettings.tushare != nil {
            lines.append("17 6 * * 1 \(fw)calendar update \(config) >> \(shellQuote(evalLog)) 2>&1")
        }
        return lines.joined(separator: "\n")
    }
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
