import Foundation
import Testing

@testable import FactorWatch

@Suite struct DiskCollectorTests {
    /// The data row of `df -P` (or `df -Pi`) for one path, split into fields.
    static func df(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/df")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == 2)
        return lines[1].split(separator: " ").map(String.init)
    }

    @Test func rootMatchesDf() throws {
        let observations = try DiskCollector(paths: ["/"]).collect(collectContext("2026-11-23T08:30:00+08:00"))
        let fields = try Self.df(["-P", "/"])
        let (size, used, available) = (Double(fields[1])!, Double(fields[2])!, Double(fields[3])!)
        let capacity = Double(fields[4].dropLast())!
        let labels: Labels = ["path": "/"]

        let percent = try #require(observations.observed("disk_used_percent", labels))
        // df rounds the percentage up; other writers may move it a little between the two readings.
        #expect(abs(percent.rounded(.up) - capacity) <= 1)
        #expect(abs(percent - 100 * used / (used + available)) < 0.5)
        #expect(try #require(observations.observed("disk_total_bytes", labels)) == size * 1024)
        let free = try #require(observations.observed("disk_free_bytes", labels))
        #expect(abs(free - available * 1024) < 0.01 * size * 1024)
    }

    @Test func rootInodesMatchDf() throws {
        let observations = try DiskCollector(paths: ["/"]).collect(collectContext("2026-11-23T08:30:00+08:00"))
        let fields = try Self.df(["-Pi", "/"])
        let (inodes, used) = (Double(fields[1])!, Double(fields[2])!)
        try #require(inodes > 0)
        let percent = try #require(observations.observed("disk_inodes_used_percent", ["path": "/"]))
        #expect(abs(percent - 100 * used / inodes) < 0.1)
        #expect(percent > 0 && percent < 100)
    }

    @Test func aFileSystemWithoutInodeCountsReportsZero() throws {
        let observations = try DiskCollector(paths: ["/proc"]).collect(collectContext("2026-11-23T08:30:00+08:00"))
        #expect(observations.observed("disk_inodes_used_percent", ["path": "/proc"]) == 0)
        #expect(observations.observed("disk_used_percent", ["path": "/proc"]) == 0)
    }

    @Test func aFailingPathKeepsTheOthersObservations() throws {
        let scratch = try CollectScratchDirectory()
        let missing = scratch.path + "/gone"
        let collector = DiskCollector(paths: [scratch.path, missing, "/"])
        do {
            _ = try collector.collect(collectContext("2026-11-23T08:30:00+08:00"))
            Issue.record("expected a failure for \(missing)")
        } catch let failure as CollectorFailure {
            #expect(failure.message == "cannot stat \(missing): No such file or directory")
            #expect(Set(failure.observations.map { $0.labels["path"] }) == [scratch.path, "/"])
            #expect(failure.observations.observedSeries("disk_used_percent").count == 2)
        }
    }

    @Test func everyPathGetsEveryMetric() throws {
        let scratch = try CollectScratchDirectory()
        let collector = DiskCollector(paths: [scratch.path, "/"])
        let observations = try collector.collect(collectContext("2026-11-23T08:30:00+08:00"))
        #expect(observations.count == 2 * collector.metricNames.count)
        #expect(Set(observations.map(\.metric)) == Set(collector.metricNames))
    }
}
