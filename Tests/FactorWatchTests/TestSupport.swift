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

/// `python3 -c script arguments…` with `input` on its standard input: its standard output, or an error carrying
/// its exit status and standard error (python3, pandas and pyarrow come from scripts/install-deps.sh).
func python3(_ script: String, _ arguments: [String] = [], input: String? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(message: "python3 exited \(process.terminationStatus) (bash scripts/install-deps.sh "
                            + "installs what the tests need): \(errors)")
    }
    return data
}

struct PythonFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
