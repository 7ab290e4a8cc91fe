import Foundation
@testable import FactorWatch

/// A fresh directory under the system's temporary directory, removed when the value is dropped.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ name: String = "factorwatch") {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        let parent = (target as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try! text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }
}

let shanghai = try! TimeZoneRules(identifier: "Asia/Shanghai")

/// `2026-11-24T02:45` in Shanghai.
func at(_ text: String) -> Date { Timestamp.parse(text, in: shanghai)! }

/// `CI=true`: every test dependency must be present; a missing one fails instead of skipping.
let runningInCI = ProcessInfo.processInfo.environment["CI"] == "true"
