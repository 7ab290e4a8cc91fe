import Foundation
import Testing

@testable import FactorWatch

/// The logs collector over appended regions larger than its read buffer, against GNU grep's count of the same
/// lines (an independent engine), and the configuration errors of patterns that are not RE2.
@Suite struct LogsCollectorScanTests {
    static var required: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" || FileManager.default.isExecutableFile(atPath: "/usr/bin/grep")
    }

    func grepCount(_ pattern: String, _ path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/grep")
        process.arguments = ["-c", "-E", "-e", pattern, path]
        process.environment = ["LC_ALL": "C"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Counts after one evaluation that starts at the end of the empty file, then one that reads `text`.
    func counts(_ patterns: [LogPattern], appending text: Data, in dir: CollectScratchDirectory) throws -> [Double] {
        let path = try dir.file("app.log")
        let collector = LogsCollector(logs: [LogSpec(name: "app", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        var context = collectContext("2026-12-01T02:45")
        context.memory = memory
        _ = try collector.collect(context)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: text)
        try handle.close()
        let observations = try collector.collect(context)
        return patterns.map { pattern in observations.first { $0.labels["pattern"] == pattern.name }?.value ?? -1 }
    }

    @Test(.enabled(if: required)) func countsAsGrepDoesAcrossReadBuffers() throws {
        let dir = try CollectScratchDirectory()
        var random: UInt64 = 42
        var text = ""
        let words = ["INFO", "loaded", "ERROR", "Traceback", "timeout", "after", "30s", "error", "é", "000001.SZ"]
        while text.utf8.count < 10_000_000 {
            var line = "2026-12-01 02:30:01,123 -"
            for _ in 0..<12 {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line += " " + words[Int(random >> 33) % words.count]
            }
            text += line + "\n"
        }
        let sources = ["ERROR|Traceback", "ERROR.*timeout after [0-9]+s", "^[0-9-]+ [0-9:,]+ - (INFO|error)( [a-z]+){3}",
                       "[Tt]ime[a-z]+ after", "é$", "\\.SZ"]
        let patterns = sources.enumerated().map { LogPattern(name: "p\($0.offset)", source: $0.element) }
        let got = try counts(patterns, appending: Data(text.utf8), in: dir)
        for (index, source) in sources.enumerated() {
            #expect(got[index] == Double(try grepCount(source, dir.path + "/app.log")), "\(source)")
        }
    }

    /// A backtracking engine needs 2^10000 steps for each of these lines; here the scan is linear.
    @Test(.enabled(if: required)) func aCatastrophicPatternScansInLinearTime() throws {
        let dir = try CollectScratchDirectory()
        let line = String(repeating: "a", count: 10_000)
        let text = String(repeating: line + "b\n", count: 300) + line + "\n"
        let got = try counts([LogPattern(name: "evil", source: "(a+)+$")], appending: Data(text.utf8), in: dir)
        #expect(got == [1])
        #expect(got[0] == Double(try grepCount("(a+)+$", dir.path + "/app.log")))
    }

    @Test func aPatternThatIsNotRE2IsAConfigurationErrorAtItsPosition() {
        let main = ConfigFixture.defaultMain.replacingOccurrences(of: "  disk: { paths: [.] }\n", with: """
              disk: { paths: [.] }
              logs:
                app: { path: app.log, patterns: { error: "(?<!x)ERROR", ok: "a{,3}" } }

            """)
        let problems = ConfigFixture(main: main).problems()
        #expect(problems == [
            "factorwatch.yaml:6:46: log app: pattern error is not a valid regular expression (RE2 syntax): "
                + "lookbehind is not supported in RE2 syntax (at offset 0)",
        ], "\(problems)")
    }
}
