import Foundation
import Testing

@testable import FactorWatch

@Suite struct LogsCollectorTests {
    private let patterns = [
        LogPattern(name: "error", source: "ERROR|Traceback"), LogPattern(name: "warn", source: "WARN"),
    ]

    private func append(_ path: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    private func matches(_ collector: LogsCollector,
                         _ memory: CollectorMemory) throws -> (error: Double?, warn: Double?) {
        var context = collectContext("2026-11-24T02:45")
        context.memory = memory
        let observations = try collector.collect(context)
        return (observations.first { $0.labels["pattern"] == "error" }?.value,
                observations.first { $0.labels["pattern"] == "warn" }?.value)
    }

    @Test func theFirstRunStartsAtTheEndAndLaterRunsCountOnlyAppendedLines() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        try append(path, "old ERROR\nold ERROR\n")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        #expect(try matches(collector, memory) == (0, 0))
        try append(path, "2026-11-24 02:30:01,123 - ERROR - failed\nTraceback (most recent call last):\nok\nWARN x\n")
        #expect(try matches(collector, memory) == (2, 1))
        #expect(try matches(collector, memory) == (0, 0))
    }

    @Test func observationsCarryTheLogNamePathAndPattern() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let observations = try collector.collect(collectContext("2026-11-24T02:45"))
        #expect(observations.observed("log_matches", ["file": "update", "path": path, "pattern": "error"]) == 0)
    }

    @Test func aPartialLastLineIsCountedOnceItIsComplete() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        _ = try matches(collector, memory)
        try append(path, "ERR")
        #expect(try matches(collector, memory).error == 0)
        try append(path, "OR done\n")
        #expect(try matches(collector, memory).error == 1)
    }

    @Test func rotationReadsTheRestOfTheOldFileAndAllOfTheNewOne() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        try append(path, "before ERROR\n")
        _ = try matches(collector, memory)
        try append(path, "late ERROR\n")
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try "new ERROR\nnew ERROR\nWARN\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try matches(collector, memory) == (3, 1))
        #expect(try matches(collector, memory) == (0, 0))
        try append(path, "ERROR again\n")
        #expect(try matches(collector, memory) == (1, 0))
    }

    @Test func rotationWithoutAnOldFileStartsTheNewFileFromItsStart() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        try append(path, "before ERROR\n")
        _ = try matches(collector, memory)
        try FileManager.default.removeItem(atPath: path)
        try "new ERROR\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try matches(collector, memory).error == 1)
    }

    @Test func truncationInPlaceStartsFromTheBeginning() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("update.log")
        let collector = LogsCollector(logs: [LogSpec(name: "update", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        try append(path, String(repeating: "filler line without a match\n", count: 20))
        _ = try matches(collector, memory)
        // Truncated (copytruncate) and written again, shorter than before.
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 0)
        try append(path, "ERROR one\n")
        #expect(try matches(collector, memory).error == 1)
        // Truncated and refilled past the old offset: the first bytes differ.
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 0)
        try append(path, "ERROR " + String(repeating: "y", count: 700) + "\nERROR two\n")
        #expect(try matches(collector, memory).error == 2)
    }

    @Test func aLargeLogIsReadInChunksWithoutMissingLines() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("big.log")
        let collector = LogsCollector(logs: [LogSpec(name: "big", path: path, patterns: patterns)])
        let memory = EphemeralMemory()
        _ = try matches(collector, memory)
        var text = ""
        for index in 0..<30_000 { text += index % 10 == 0 ? "line \(index) ERROR\n" : "line \(index) fine\n" }
        try append(path, text)
        #expect(try matches(collector, memory).error == 3_000)
    }

    @Test func aMissingLogFailsWithItsPathAndAnInvalidPatternIsRejected() throws {
        let dir = try CollectScratchDirectory()
        let collector = LogsCollector(logs: [LogSpec(name: "gone", path: dir.path + "/gone.log", patterns: patterns)])
        #expect(throws: CollectorFailure.self) { try collector.collect(collectContext("2026-11-24T02:45")) }
        let invalid = [LogPattern(name: "p", source: "(")]
        let bad = LogsCollector(logs: [LogSpec(name: "x", path: "/dev/null", patterns: invalid)])
        #expect { try bad.validate() } throws: { "\($0)".contains("log x: pattern p") }
    }
}
