import Foundation
import Testing

@testable import FactorWatch

@Suite struct FilesCollectorTests {
    static let now = "2026-11-23T08:30:00+08:00"
    static func hoursBeforeNow(_ hours: Double) -> Date {
        Timestamp.parse(now, in: collectTestZone)!.addingTimeInterval(-hours * 3_600)
    }

    @Test func newestBackupByModificationTime() throws {
        let scratch = try CollectScratchDirectory()
        // Names and times disagree on purpose: the newest file is the one written last.
        try scratch.file("backup/barra_factors_20261122.tar.gz", size: 300, modified: Self.hoursBeforeNow(200))
        try scratch.file("backup/barra_factors_20261115.tar.gz", size: 1_234, modified: Self.hoursBeforeNow(29.5))
        try scratch.file("backup/barra_factors_20261108.tar.gz", size: 100, modified: Self.hoursBeforeNow(400))
        try scratch.file("backup/other_20261123.tar.gz", size: 9, modified: Self.hoursBeforeNow(1))
        try scratch.file("backup/barra_factors_20261123.tar.gz.part", size: 9, modified: Self.hoursBeforeNow(1))
        _ = try scratch.directory("backup/barra_factors_dir.tar.gz")
        let collector = FilesCollector(files: [("backup", scratch.path + "/backup/barra_factors_*.tar.gz")])
        let observations = try collector.collect(collectContext(Self.now))
        let labels: Labels = ["name": "backup"]
        #expect(observations.observed("file_count", labels) == 3)
        #expect(observations.observed("file_size_bytes", labels) == 1_234)
        #expect(observations.observed("file_age_hours", labels) == 29.5)
        #expect(observations.observedSeries("file_glob_error").isEmpty)
    }

    @Test func severalNamedGlobsReportSeparately() throws {
        let scratch = try CollectScratchDirectory()
        try scratch.file("risk/risk_params_latest.json", size: 42, modified: Self.hoursBeforeNow(24 * 3))
        try scratch.file("logs/update.log", size: 7, modified: Self.hoursBeforeNow(0.25))
        let collector = FilesCollector(files: [
            ("risk_params", scratch.path + "/risk/risk_params_latest.json"),
            ("update_log", scratch.path + "/logs/*.log"),
        ])
        let observations = try collector.collect(collectContext(Self.now))
        #expect(observations.observed("file_age_hours", ["name": "risk_params"]) == 72)
        #expect(observations.observed("file_size_bytes", ["name": "risk_params"]) == 42)
        #expect(observations.observed("file_count", ["name": "risk_params"]) == 1)
        #expect(observations.observed("file_age_hours", ["name": "update_log"]) == 0.25)
        #expect(observations.observed("file_size_bytes", ["name": "update_log"]) == 7)
    }

    @Test func noMatchGivesACountOfZeroOnly() throws {
        let scratch = try CollectScratchDirectory()
        try scratch.file("backup/readme.txt")
        let collector = FilesCollector(files: [
            ("backup", scratch.path + "/backup/barra_factors_*.tar.gz"),
            ("elsewhere", scratch.path + "/missing/dir/*.tar.gz"),
        ])
        let observations = try collector.collect(collectContext(Self.now))
        #expect(
            observations == [
                Observation("file_count", ["name": "backup"], 0),
                Observation("file_count", ["name": "elsewhere"], 0),
            ])
    }

    @Test func symbolicLinksToFilesCountAndDanglingOnesDoNot() throws {
        let scratch = try CollectScratchDirectory()
        let target = try scratch.file("real/data.json", size: 5, modified: Self.hoursBeforeNow(2))
        _ = try scratch.directory("links")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/links/a.json", withDestinationPath: target)
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/links/b.json",
            withDestinationPath: scratch.path + "/real/gone.json")
        let observations = try FilesCollector(files: [("linked", scratch.path + "/links/*.json")])
            .collect(collectContext(Self.now))
        #expect(observations.observed("file_count", ["name": "linked"]) == 1)
        #expect(observations.observed("file_size_bytes", ["name": "linked"]) == 5)
        #expect(observations.observed("file_age_hours", ["name": "linked"]) == 2)
    }

    @Test func recursiveGlobsFindNestedFiles() throws {
        let scratch = try CollectScratchDirectory()
        try scratch.file("b/2026/11/barra_factors_20261122.tar.gz", size: 10, modified: Self.hoursBeforeNow(5))
        try scratch.file("b/2026/10/barra_factors_20261025.tar.gz", size: 20, modified: Self.hoursBeforeNow(600))
        let observations = try FilesCollector(files: [("backup", scratch.path + "/b/**/barra_factors_*.tar.gz")])
            .collect(collectContext(Self.now))
        #expect(observations.observed("file_count", ["name": "backup"]) == 2)
        #expect(observations.observed("file_size_bytes", ["name": "backup"]) == 10)
    }

    @Test(.enabled(if: !collectTestsRunAsRoot, "root reads any directory"))
    func anUnreadableDirectoryIsFlagged() throws {
        let scratch = try CollectScratchDirectory()
        let locked = try scratch.directory("backup")
        try scratch.file("backup/barra_factors_20261122.tar.gz")
        chmod(locked, 0)
        let observations = try FilesCollector(files: [("backup", locked + "/barra_factors_*.tar.gz")])
            .collect(collectContext(Self.now))
        #expect(observations.observed("file_count", ["name": "backup"]) == 0)
        #expect(observations.observed("file_glob_error", ["name": "backup"]) == 1)
    }

    @Test(.enabled(if: unreadableSystemDirectory != nil, "no directory here refuses to be listed"))
    func aDirectoryNobodyCanListIsFlagged() throws {
        let locked = try #require(unreadableSystemDirectory)
        let observations = try FilesCollector(files: [("mapped", locked + "/*")]).collect(collectContext(Self.now))
        #expect(observations.observed("file_count", ["name": "mapped"]) == 0)
        #expect(observations.observed("file_glob_error", ["name": "mapped"]) == 1)
    }
}
