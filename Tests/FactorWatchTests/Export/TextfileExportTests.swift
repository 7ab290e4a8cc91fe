import Foundation
import Testing

@testable import FactorWatch

@Suite struct TextfileExportTests {
    func report(_ observations: [Observation], alerts: [AlertReport] = []) -> EvaluationReport {
        EvaluationReport(evaluatedAt: at("2026-11-24T02:45"), zone: shanghai, dryRun: false,
                         observations: observations, alerts: alerts, notifications: [], errors: [])
    }

    @Test func namesValuesAndLabelsFollowThePrefixRule() {
        let text = TextfileExport.render(report([
            Observation("disk_used_percent", ["path": "/data"], 95),
            Observation("disk_used_percent", ["path": "/data"], 96),
            Observation("factorwatch_own", [:], 1),
            Observation("job.last-run", ["note": "say \"hi\"\\\n因子"], .nan),
        ]), duration: 0.25, queued: ["am": 2])
        #expect(text.contains("# HELP factorwatch_disk_used_percent factorwatch observation disk_used_percent.\n"
                              + "# TYPE factorwatch_disk_used_percent gauge\n"
                              + "factorwatch_disk_used_percent{path=\"/data\"} 95\n# HELP"))
        #expect(text.contains("\nfactorwatch_own 1\n"))
        #expect(text.contains("\nfactorwatch_job_last_run{note=\"say \\\"hi\\\"\\\\\\n因子\"} NaN\n"))
        #expect(text.contains("\nfactorwatch_last_eval_timestamp_seconds 1795459500\n"))
        #expect(text.contains("\nfactorwatch_eval_duration_seconds 0.25\n"))
        #expect(text.contains("\nfactorwatch_notifications_queued{channel=\"am\"} 2\n"))
    }

    @Test func aConcurrentReaderSeesTheOldFileOrTheNewOneNeverAPart() throws {
        let dir = TemporaryDirectory("textfile")
        let path = dir.file("fw.prom")
        let small = TextfileExport.render(report([Observation("up", [:], 1)]), duration: 0, queued: [:])
        let large = TextfileExport.render(report((0..<3_000).map {
            Observation("factor_rows", ["date": String(20_260_000 + $0)], Double($0))
        }), duration: 0, queued: [:])
        try TextfileExport.writeAtomically(small, to: path)
        let stop = StopFlag()
        let writer = Thread {
            for round in 0..<400 where !stop.isSet {
                try? TextfileExport.writeAtomically(round % 2 == 0 ? large : small, to: path)
            }
            stop.set()
        }
        writer.start()
        var reads = 0
        var torn = 0
        let deadline = Date().addingTimeInterval(60)
        while !stop.isSet, Date() < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if text != small && text != large { torn += 1 }
            reads += 1
        }
        stop.set()
        #expect(reads > 10)
        #expect(torn == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "fw.prom" }
        #expect(leftovers.isEmpty)
    }

    @Test func aWriteIntoAMissingDirectoryFailsClearly() {
        #expect(throws: TextfileError.self) {
            try TextfileExport.writeAtomically("x 1\n", to: "/nonexistent-dir-for-factorwatch/fw.prom")
        }
    }
}

/// A flag two threads share.
final class StopFlag: @unchecked Sendable {
    private let lock = Mutex()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Every metric any collector reports, exported, passes `promtool check metrics` (its parser and its lint).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") || runningInCI,
                "promtool is not installed"))
struct TextfileLintTests {
    @Test func everyCollectorsMetricsPassPromtoolsLint() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path + "/examples/demo/factorwatch.yaml"
        let configuration = try ConfigLoader.load(path: demo, environment: [:]).configuration
        let collectors: [any Collector] = configuration.collectors
            + [FactorSpecificRiskCollector(path: "/nonexistent/specific_risks.parquet")]
        let names = Set(collectors.flatMap(\.metricNames) + ["collector_up"])
        #expect(names.count > 60 && names.contains("factor_file_age_days") && names.contains("file_count"))
        let observations = names.sorted().map { Observation($0, ["dir": "d"], 2) }
        let text = TextfileExport.render(EvaluationReport(
            evaluatedAt: at("2026-11-24T02:45"), zone: shanghai, dryRun: false, observations: observations,
            alerts: [], notifications: [], errors: []), duration: 0.1, queued: [:])
        let directory = TemporaryDirectory("lint")
        let path = directory.write("fw.prom", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "/usr/bin/promtool check metrics < '\(path)' 2>&1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check metrics: \(output)")
        #expect(text.contains("\nfactorwatch_factor_file_age_seconds{dir=\"d\"} 172800\n"))
        #expect(text.contains("\nfactorwatch_file_age_seconds{dir=\"d\"} 7200\n"))
        #expect(text.contains("\nfactorwatch_file_matches{dir=\"d\"} 2\n"))
    }
}
