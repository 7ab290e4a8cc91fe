import Foundation
import Testing
@testable import FactorWatch

/// The `system` collector's CPU sample lives in `<state>.samples`, so an evaluation that changes nothing else
/// leaves the state database untouched; a damaged sample file is a sample to take again, never a wrong value.
@Suite struct SampleFileTests {
    /// A /proc tree whose aggregate cpu line says `total` jiffies of which `idle` idle.
    func proc(_ dir: TemporaryDirectory, busy: Int, idle: Int) {
        dir.write("proc/stat", "cpu  \(busy) 0 0 \(idle) 0 0 0 0 0 0\n")
        dir.write("proc/meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n")
        dir.write("proc/loadavg", "0.50 1.25 2.00 1/100 42\n")
    }

    func configuration(_ dir: TemporaryDirectory) -> Configuration {
        Configuration(file: dir.file("factorwatch.yaml"), zone: shanghai, statePath: dir.file("state.db"), host: "h",
                      collectors: [SystemCollector(procRoot: dir.file("proc"), sampleInterval: 0.01)],
                      rules: [rule("CPUHigh", "cpu_percent > 90", .high)])
    }

    func cpuPercent(_ report: EvaluationReport) -> Double? {
        report.observations.first { $0.metric == "cpu_percent" }?.value
    }

    @Test func theSampleIsKeptOutsideTheDatabaseAndAnIdleRunLeavesTheDatabaseAlone() throws {
        let dir = TemporaryDirectory("samples")
        let config = configuration(dir)
        proc(dir, busy: 100, idle: 900)
        _ = try Evaluator(configuration: config).run(now: at("2026-11-24T02:00"))
        #expect(SampleFile.read(dir.file("state.db.samples")) == ["system\u{0}cpu": "1000 900"])
        let database = try Data(contentsOf: URL(fileURLWithPath: dir.file("state.db")))
        // 300 of the next 400 jiffies busy: 75 %, from the remembered sample.
        proc(dir, busy: 400, idle: 1_000)
        let second = try Evaluator(configuration: config).run(now: at("2026-11-24T02:05"))
        #expect(cpuPercent(second) == 75)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("state.db"))) == database,
                "an evaluation that changed nothing but the CPU sample wrote the state database")
        #expect(!FileManager.default.fileExists(atPath: dir.file("state.db-journal")))
        let rows = try SQLiteDatabase(path: dir.file("state.db"), mode: .readOnly)
            .query("SELECT count(*) FROM collector_memory WHERE collector = 'system'")
        #expect(rows.first?[0].int64 == 0)
        // A dry run reads the sample and writes nothing.
        proc(dir, busy: 500, idle: 1_100)
        let dry = try Evaluator(configuration: config).run(now: at("2026-11-24T02:10"), dryRun: true)
        #expect(cpuPercent(dry) == 50)
        #expect(SampleFile.read(dir.file("state.db.samples")) == ["system\u{0}cpu": "1400 1000"])
    }

    @Test func aDamagedSampleFileReadsAsNoSample() throws {
        let dir = TemporaryDirectory("samples-damaged")
        let path = dir.file("state.db.samples")
        SampleFile.write(["system\u{0}cpu": "1000 900", "other\u{0}k": "v"], to: path)
        #expect(SampleFile.read(path).count == 2)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for damaged in [whole.prefix(whole.count - 3), whole.prefix(10), Data(), Data("garbage\n".utf8),
                        Data(whole.map { $0 == UInt8(ascii: "9") ? UInt8(ascii: "8") : $0 })] {
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(SampleFile.read(path).isEmpty, "\(String(decoding: damaged, as: UTF8.self))")
        }
        // A shorter write over a longer file leaves no tail behind.
        SampleFile.write(["a\u{0}b": "1"], to: path)
        #expect(SampleFile.read(path) == ["a\u{0}b": "1"])
    }

    @Test func aDamagedSampleMeansTwoFreshSamplesNotAStaleComparison() throws {
        let dir = TemporaryDirectory("samples-fresh")
        let config = configuration(dir)
        proc(dir, busy: 100, idle: 900)
        _ = try Evaluator(configuration: config).run(now: at("2026-11-24T02:00"))
        try "factorwatch-samples 1 999 0\nsystem\u{0}cpu\t1 1\n".write(toFile: dir.file("state.db.samples"),
                                                                        atomically: false, encoding: .utf8)
        proc(dir, busy: 400, idle: 1_000)
        // Compared with the bogus "1 1" this would read as ~29 % busy; with no sample, two readings of an
        // unchanged /proc/stat are 0 %.
        let report = try Evaluator(configuration: config).run(now: at("2026-11-24T02:05"))
        #expect(cpuPercent(report) == 0)
        #expect(SampleFile.read(dir.file("state.db.samples")) == ["system\u{0}cpu": "1400 1000"])
    }

    @Test func aSampleAnOlderVersionStoredInTheDatabaseMovesToTheSampleFile() throws {
        let dir = TemporaryDirectory("samples-migrate")
        let config = configuration(dir)
        do {
            let store = try StateStore(path: config.statePath)
            try store.setMemory(collector: "system", key: "cpu", value: "900 850")
        }
        proc(dir, busy: 100, idle: 900)
        let report = try Evaluator(configuration: config).run(now: at("2026-11-24T02:00"))
        // total 1000, idle 900 since (900, 850): 100 elapsed, 50 idle → 50 % — from the stored sample.
        #expect(cpuPercent(report) == 50)
        let rows = try SQLiteDatabase(path: dir.file("state.db"), mode: .readOnly)
            .query("SELECT count(*) FROM collector_memory WHERE collector = 'system'")
        #expect(rows.first?[0].int64 == 0)
        #expect(SampleFile.read(dir.file("state.db.samples")) == ["system\u{0}cpu": "1000 900"])
    }
}
