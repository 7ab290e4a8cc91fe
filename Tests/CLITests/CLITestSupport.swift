import Foundation

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `factorwatch` binary (`swift build` puts it beside the test bundle).
let binaryPath: String = {
    let candidates = [Bundle.main.bundleURL.appendingPathComponent("factorwatch").path,
                      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("factorwatch").path,
                      repositoryRoot + "/.build/debug/factorwatch"]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
}()

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real binary and waits for it.
@discardableResult
func factorwatch(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "FACTORWATCH_CONFIG")
    for (key, value) in environment { env[key] = value }
    return try runProgram([binaryPath] + arguments, environment: env)
}

/// Waits up to 30 s (a loaded machine starts Python slowly) for a helper process to create `path`.
func waitForFile(_ path: String) -> Bool {
    for _ in 0..<600 where !FileManager.default.fileExists(atPath: path) { Thread.sleep(forTimeInterval: 0.05) }
    return FileManager.default.fileExists(atPath: path)
}

final class Scratch: @unchecked Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/fwcli-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let target = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// A configuration over the shipped demo data and the shipped rules, with its own state and a JSON log.
    func demoConfiguration(extra: String = "") -> String {
        let demo = repositoryRoot + "/examples/demo"
        write("channels/alerts_log.yaml", "type: log\npath: \(path)/alerts.log\nformat: json\n")
        return write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(path)/state/fw.db
            calendar: \(demo)/calendar/trade_cal.csv
            host: test-host
            rules: [\(repositoryRoot)/rules/*.yaml]
            collectors:
              factor_files: { dir: \(demo)/data/barra_factors/by_date }
              disk: { paths: [\(demo)/data] }
            routes:
              critical: { channels: [alerts_log], repeat: 2h }
              high:     { channels: [alerts_log], repeat: 12h }
              medium:   { channels: [alerts_log], repeat: 24h }
              low:      { channels: [alerts_log], repeat: 24h }
            \(extra)
            """)
    }
}
