import Foundation
import Testing

/// A collector that hangs (here: a log that became a FIFO nobody writes to, so open(2) blocks, as a read on a dead
/// NFS mount does) is given up on after `collector_timeout`: eval finishes, releases the run lock, reports the
/// collector failed and keeps the state of what it could not observe.
@Suite struct ReliabilityBudgetTests {
    @Test(.timeLimit(.minutes(2)))
    func aHungCollectorFailsWithinItsBudgetAndResolvesNothing() throws {
        let scratch = Scratch()
        let log = scratch.write("update.log", "2026-11-24 02:20:00 INFO started\n")
        let config = try ReliabilityCollectorTests.demoCopy(scratch)
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "collectors:\n", with: """
                collector_timeout: 2s
                collectors:
                  logs: { update: { path: \(log), patterns: { error: "ERROR|Traceback" } } }

                """)
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        // The first run takes the log's position; the error written after it fires LogErrors.
        try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:40:00+08:00"])
        let handle = try #require(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        handle.write(Data("2026-11-24 02:41:00 ERROR download failed\n".utf8))
        try handle.close()
        let first = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        #expect(first.stdout.contains("FIRING medium LogErrors"), "\(first.stdout)\(first.stderr)")

        try FileManager.default.removeItem(atPath: log)
        #expect(mkfifo(log, 0o644) == 0)
        let started = Date()
        let hung = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        let took = Date().timeIntervalSince(started)
        #expect(hung.status == 1, "\(hung.stdout)\(hung.stderr)")
        #expect(took < 30, "eval took \(took) s with a 2 s budget")
        #expect(hung.stdout.contains("did not finish within its time budget of 2s"), "\(hung.stdout)")
        #expect(hung.stdout.contains("CollectorFailed{") && hung.stdout.contains("collector=\"logs\""),
                "\(hung.stdout)")
        #expect(!hung.stdout.contains("RESOLVED"), "\(hung.stdout)")
        let states = try ReliabilityCollectorTests.firing(config, at: "")
        #expect(states.first { $0.key.hasPrefix("LogErrors") }?.value == "firing", "\(states)")
        // The lock is free again: the next run does not wait for the hung one.
        let next = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:55:00+08:00"])
        #expect(!next.stderr.contains("holds"), "\(next.stderr)")
    }
}
