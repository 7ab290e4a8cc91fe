import Foundation
import Testing

@testable import FactorWatch

/// A fresh directory under the system temporary directory, removed when the value is released.
final class CollectScratchDirectory {
    let path: String

    init() throws {
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((temporary + "factorwatch-collect-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let created else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: created)
    }

    deinit {
        // Restore permissions that tests took away, so everything can be removed.
        _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "u+rwx", path]).waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Creates a file (and its parent directories) with `size` bytes, optionally with a modification time.
    @discardableResult
    func file(_ relative: String, size: Int = 0, modified: Date? = nil) throws -> String {
        let full = path + "/" + relative
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(repeating: 0x61, count: size).write(to: URL(fileURLWithPath: full))
        if let modified { try setModified(full, modified) }
        return full
    }

    func directory(_ relative: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    func setModified(_ full: String, _ date: Date) throws {
        let seconds = date.timeIntervalSince1970
        var times = [timeval(tv_sec: Int(seconds), tv_usec: 0), timeval(tv_sec: Int(seconds), tv_usec: 0)]
        guard utimes(full, &times) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno)!) }
    }
}

let collectTestZone = try! TimeZoneRules(identifier: "Asia/Shanghai")

/// A context at `time` (ISO 8601) in Asia/Shanghai.
func collectContext(_ time: String, calendar: TradingCalendar = .weekdays) -> CollectionContext {
    CollectionContext(now: Timestamp.parse(time, in: collectTestZone)!, zone: collectTestZone, calendar: calendar)
}

extension Array where Element == Observation {
    /// The value of the one observation with this metric (and labels, when given).
    func observed(_ metric: String, _ labels: Labels? = nil) -> Double? {
        let found = filter { $0.metric == metric && (labels == nil || $0.labels == labels!) }
        return found.count == 1 ? found[0].value : nil
    }

    func observedSeries(_ metric: String) -> [Observation] { filter { $0.metric == metric } }
}

/// Whether the current process can ignore file permissions (tests of unreadable directories need it not to).
var collectTestsRunAsRoot: Bool { geteuid() == 0 }
