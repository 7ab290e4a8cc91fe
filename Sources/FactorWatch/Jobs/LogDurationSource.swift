#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ByteRegex

/// Run times read from a job's own log, for jobs not started through `factorwatch run`: a line matching
/// `startPattern` starts a run, the next line matching `endPattern` completes it (a completed run counts as a
/// success), and each line's timestamp says when. Only the last `maxBytes` of the log are read.
public struct LogDurationSource: Sendable {
    public var path: String
    public var startPattern: String
    public var endPattern: String
    public var timestampFormat: LogTimestampFormat
    public var maxBytes: Int

    public init(path: String, startPattern: String, endPattern: String,
                timestampFormat: LogTimestampFormat = .standard, maxBytes: Int = 8 << 20) {
        self.path = path
        self.startPattern = startPattern
        self.endPattern = endPattern
        self.timestampFormat = timestampFormat
        self.maxBytes = maxBytes
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Checks the patterns compile, for `check`.
    public func validate() throws(ReadError) {
        for (role, pattern) in [("start", startPattern), ("end", endPattern)] {
            do {
                try ByteRegex.validate(pattern)
            } catch {
                throw ReadError(path: path, reason: "invalid \(role) pattern \"\(pattern)\": \(error)")
            }
        }
    }

    /// The log's latest runs as job runs: the last completed start→end pair, and a start with no end after it
    /// as a run still going.
    public func summary(job: String, zone: TimeZoneRules) throws(ReadError) -> JobRunSummary {
        let start: ByteRegex, end: ByteRegex
        do {
            start = try ByteRegex(startPattern)
            end = try ByteRegex(endPattern)
        } catch {
            try validate()
            throw ReadError(path: path, reason: "\(error)")
        }
        let bytes = try LogDurationSource.tail(path: path, maxBytes: maxBytes)
        var openStart: Date?
        var completed: (Date, Date)?
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let isStart = start.matches(line)
            let isEnd = !isStart && end.matches(line)
            guard isStart || isEnd,
                  let time = timestampFormat.parse(Substring(String(decoding: line, as: UTF8.self)).utf8, in: zone) else { continue }
            if isStart {
                openStart = time
            } else if let began = openStart {
                completed = (began, time)
                openStart = nil
            }
        }
        var summary = JobRunSummary()
        if let (began, ended) = completed {
            let run = JobRun(job: job, host: "", pid: nil, startedAt: began, finishedAt: ended, exitCode: 0)
            summary = JobRunSummary(latest: run, lastFinished: run, lastSuccess: run)
        }
        if let openStart {
            summary.latest = JobRun(job: job, host: "", pid: nil, startedAt: openStart)
        }
        return summary
    }

    /// The last `maxBytes` of the file, starting at a line boundary.
    static func tail(path: String, maxBytes: Int) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        let from = max(0, Int(size) - maxBytes)
        var bytes = [UInt8](repeating: 0, count: Int(size) - from)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled,
                                                             off_t(from + filled)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        if from > 0, let newline = bytes.firstIndex(of: 0x0A) { bytes.removeFirst(newline + 1) }
        return bytes
    }
}

extension JobRunSummary {
    /// The newer of each kind of run from two sources (the state database and a log).
    func merged(with other: JobRunSummary) -> JobRunSummary {
        func newer(_ a: JobRun?, _ b: JobRun?, by key: (JobRun) -> Date) -> JobRun? {
            guard let a else { return b }
            guard let b else { return a }
            return key(b) > key(a) ? b : a
        }
        let end: (JobRun) -> Date = { $0.finishedAt ?? $0.startedAt }
        return JobRunSummary(latest: newer(latest, other.latest, by: \.startedAt),
                             lastFinished: newer(lastFinished, other.lastFinished, by: end),
                             lastSuccess: newer(lastSuccess, other.lastSuccess, by: end))
    }
}
