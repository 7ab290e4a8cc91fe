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

/// One named pattern of a watched log.
public struct LogPattern: Sendable, Equatable {
    public var name: String
    /// A regular expression (Swift `Regex` syntax, as in PCRE) searched for anywhere in the line.
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

    static func compile(_ log: LogSpec) throws(PatternError) -> [Regex<AnyRegexOutput>] {
        var compiled: [Regex<AnyRegexOutput>] = []
        for pattern in log.patterns {
            do {
                compiled.append(try Regex(pattern.source))
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

/// Counts lines matching each pattern over byte ranges of files.
struct LineMatcher {
    let regexes: [Regex<AnyRegexOutput>]
    var counts: [Int]
    static let chunkSize = 65_536
    /// A longer line without a newline is counted in pieces rather than held in memory.
    static let maxLine = 1 << 20

    init(regexes: [Regex<AnyRegexOutput>]) {
        self.regexes = regexes
        counts = Array(repeating: 0, count: regexes.count)
    }

    /// Scans from `offset` to the file's size at opening; returns the offset after the last complete line (or
    /// the end, when `final`: the file will not grow any more).
    mutating func scan(_ file: OpenLog, from offset: Int64, final: Bool) -> Int64 {
        var position = offset
        var consumed = offset
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: LineMatcher.chunkSize)
        while position < file.size {
            let wanted = Int(min(Int64(chunk.count), file.size - position))
            let count = chunk.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, wanted, off_t(position)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            position += Int64(count)
            var lineStart = 0
            for index in 0..<count where chunk[index] == 0x0A {
                pending.append(contentsOf: chunk[lineStart..<index])
                match(pending)
                consumed += Int64(pending.count + 1)
                pending.removeAll(keepingCapacity: true)
                lineStart = index + 1
            }
            pending.append(contentsOf: chunk[lineStart..<count])
            if pending.count >= LineMatcher.maxLine {
                match(pending)
                consumed += Int64(pending.count)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if final && !pending.isEmpty {
            match(pending)
            consumed += Int64(pending.count)
        }
        return consumed
    }

    private mutating func match(_ line: [UInt8]) {
        let text = String(decoding: line, as: UTF8.self)
        for (index, regex) in regexes.enumerated() where text.contains(regex) { counts[index] += 1 }
    }
}
