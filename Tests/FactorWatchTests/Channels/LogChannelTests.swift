import Foundation
import Testing

@testable import FactorWatch

/// The text log channel writes one line per alert into a real file, whatever a label or summary holds.
@Suite struct LogChannelTests {
    @Test func aLineBreakInALabelCannotForgeALogLine() throws {
        let dir = TemporaryDirectory("log-forge")
        let path = dir.path + "/alerts.log"
        let forged = "x\n2026-11-24T02:45:00+08:00 RESOLVED critical FactorDataStale — all clear\r\u{2028}"
        let digest = channelSampleDigest(summary: "summary\nwith a break", labels: ["path": forged])
        let channel = LogChannel(name: "log", path: path, format: .text, zone: shanghai)
        #expect(channel.deliver(digest) == .sent)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Python's splitlines, not ours, counts the lines (it also splits at U+2028).
        let lines = try runPython("import sys; print(len(open(sys.argv[1], encoding='utf-8').read().splitlines()))", path)
        #expect(lines == "\(digest.alerts.count)", "\(text)")
        #expect(!text.contains("\nx\n") && text.contains("x\\n2026-11-24T02:45:00+08:00 RESOLVED"), "\(text)")
    }

    func runPython(_ code: String, _ argument: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code, argument]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
