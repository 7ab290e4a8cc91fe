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

/// One named pattern of a watched log.
public struct LogPattern: Sendable, Equatable {
    public var name: String
    /// A regular expression in RE2 syntax, searched for anywhere in the line (matched over the line's bytes in
    /// linear time).
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// One watched log, as configured under `collectors.logs`.
public struct LogSpec: Sendable, Equatable {
    public var name: String
    public var path: String
    public var patterns: [LogPattern]
    /// The job that writes this log (a job whose `log:` is this path): until it has run, a missing file is expected.
    public var job: String?

    public init(name: String, path: String, patterns: [LogPattern]) {
        self.name = name
        self.path = path
        self.patterns = patterns
    }
}

/// Lines matching each pattern appended to the watched logs since the previous evaluation:
/// `log_matches{file=NAME, path=PATH, pattern=PATTERN}`.
///
/// The read position is kept in collector memory (collector `logs`, key = the path). The first evaluation starts
/// at the end of the file and reports 0, as Prometheus log exporters do, so an old log full of errors does not
/// alert on the day it is first watched. After a rotation (the path names a new file) the rest of the old file is
/// read if it is now at `PATH.1`, and the new file from its start; a file truncated in place (smaller than the
/// position, or with different first bytes) is read from its start. Only complete lines are counted; a partial
/// last line waits for its newline. Files are read in 64 KiB chunks however large they are.
public struct LogsCollector: Collector {
    public var name: String { "logs" }
    public let logs: [LogSpec]
    /// Where the runs of the logs' jobs are recorded (see `LogSpec.job`).
    public var jobRuns: (any JobRunSource)?

    public init(logs: [LogSpec]) {
        self.logs = logs
    }

    public var metricNames: [String] { ["log_matches"] }

    public struct PatternError: Error, CustomStringConvertible {
        public var log: String
        public var pattern: String
        public var reason: String
        public var description: String { "log \(log): pattern \(pattern): invalid regular expression: \(reason)" }
    }

    /// Checks every pattern compiles, for `check`.
    public func validate() throws(PatternError) {
        for log in logs { _ = try LogsCollector.compile(log) }
    }

    static func compile(_ log: LogSpec) throws(PatternError) -> [ByteRegex] {
        var compiled: [ByteRegex] = []
        for pattern in log.patterns {
            do {
                compiled.append(try ByteRegex(pattern.source))
            } catch {
                throw PatternError(log: log.name, pattern: pattern.name, reason: "\(error)")
            }
        }
        return compiled
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        var observations: [Observation] = []
        var failures: [String] = []
        for log in logs {
            if waitsForItsJob(log, memory: context.memory) { continue }
            do {
                let counts = try count(log, memory: context.memory)
                for (index, pattern) in log.patterns.enumerated() {
                    let labels: Labels = ["file": log.name, "path": log.path, "pattern": pattern.name]
                    observations.append(Observation("log_matches", labels, counts[index]))
                }
            } catch {
                failures.append("\(error)")
            }
        }
        guard failures.isEmpty else {
            throw CollectorFailure(failures.joined(separator: "; "), observations: observations)
        }
        return observations
    }


    /// Counts the new matching lines of one log and moves its remembered position.
    func count(_ log: LogSpec, memory: CollectorMemory) throws -> [Int] {
        let regexes = try LogsCollector.compile(log)
        var matcher = LineMatcher(regexes: regexes)
        let remembered = memory.value(collector: name, key: log.path).flatMap(LogPosition.init(encoded:))
        let current = OpenLog(path: log.path)
        let reason = current == nil ? String(cString: strerror(errno)) : ""
        defer { current?.close() }

        guard let remembered else {
            guard let current else { throw PathProblem(path: log.path, reason: reason) }
            memory.set(current.position(at: current.size).encoded, collector: name, key: log.path)
            return matcher.counts
        }
        if let current, current.isSameFile(as: remembered) {
            let from = current.continues(remembered) ? remembered.offset : 0
            let end = matcher.scan(current, from: from, final: false)
            memory.set(current.position(at: end).encoded, collector: name, key: log.path)
            return matcher.counts
        }
        // Rotated (or removed): finish the old file where rotation put it, then start the new one.
        var position: LogPosition?
        if let old = OpenLog(path: log.path + ".1") {
            if old.continues(remembered) {
                let end = matcher.scan(old, from: remembered.offset, final: current != nil)
                position = old.position(at: end)
            }
            old.close()
        }
        if let current {
            let end = matcher.scan(current, from: 0, final: false)
            position = current.position(at: end)
        }
        guard let position else { throw PathProblem(path: log.path, reason: reason) }
        memory.set(position.encoded, collector: name, key: log.path)
        return matcher.counts
    }
}

/// Counts lines matching each pattern over byte ranges of files, searching the bytes in place: lines are split
/// with `memchr` and never turned into strings.
struct LineMatcher {
    let regexes: [ByteRegex]
    var counts: [Int]
    static let bufferSize = 4 << 20
    /// A longer line without a newline is counted in pieces rather than held in memory.
    static let maxLine = 1 << 20

    init(regexes: [ByteRegex]) {
        self.regexes = regexes
        counts = Array(repeating: 0, count: regexes.count)
    }

    /// Scans from `offset` to the file's size at opening; returns the offset after the last complete line (or
    /// the end, when `final`: the file will not grow any more).
    mutating func scan(_ file: OpenLog, from offset: Int64, final: Bool) -> Int64 {
        var buffer = [UInt8](repeating: 0, count: LineMatcher.bufferSize)
        var filled = 0
        var position = offset
        var consumed = offset
        while position < file.size {
            let wanted = Int(min(Int64(buffer.count - filled), file.size - position))
            let count = buffer.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress! + filled, wanted, off_t(position)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            position += Int64(count)
            filled += count
            var complete = filled
            while complete > 0 && buffer[complete - 1] != 0x0A { complete -= 1 }
            if complete > 0 {
                match(buffer, 0..<complete)
                consumed += Int64(complete)
                buffer.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + complete, filled - complete) }
                filled -= complete
            }
            if filled >= LineMatcher.maxLine {
                match(buffer, 0..<filled)
                consumed += Int64(filled)
                filled = 0
            }
        }
        if final && filled > 0 {
            match(buffer, 0..<filled)
            consumed += Int64(filled)
        }
        return consumed
    }

    private mutating func match(_ buffer: [UInt8], _ range: Range<Int>) {
        buffer.withUnsafeBytes { bytes in
            let region = UnsafeRawBufferPointer(rebasing: bytes[range])
            for (index, regex) in regexes.enumerated() { counts[index] += regex.countMatchingLines(in: region) }
        }
    }
}
