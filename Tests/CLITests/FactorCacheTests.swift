import Foundation
import Testing

/// An unchanged factor file is not read again at the next cron tick; any change to it is. Seen through
/// `factor_observations_reused` in `eval --format json` (1: the last read's observations, no file opened).
struct FactorCacheTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// A copy of the demo's factor files, and a configuration over it with its own state database.
    func setUp(_ scratch: Scratch, state: String = "fw.db") throws -> (config: String, dir: String) {
        let source = repositoryRoot + "/examples/demo/data/barra_factors/by_date"
        let dir = scratch.path + "/by_date"
        if !FileManager.default.fileExists(atPath: dir) { try FileManager.default.copyItem(atPath: source, toPath: dir) }
        scratch.write("channels/log.yaml", "type: log\npath: \(scratch.path)/alerts.log\n")
        let config = scratch.write("\(state).yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/state/\(state)
            calendar: \(repositoryRoot)/examples/demo/calendar/trade_cal.csv
            rules: [\(repositoryRoot)/rules/factor_quality.yaml]
            collectors:
              factor_files: { dir: \(dir) }
            channels: \(scratch.path)/channels
            """)
        return (config, dir)
    }

    struct Run {
        var reused: Double?
        /// Every factor observation but the reuse flag, as `metric{labels}` → value.
        var factors: [String: Double]
        var firing: Set<String>
    }

    func eval(_ config: String) throws -> Run {
        let result = try factorwatch(["eval", "--config", config, "--now", now, "--format", "json"])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let observations = object["observations"] as? [[String: Any]] ?? []
        var run = Run(reused: nil, factors: [:], firing: [])
        for observation in observations {
            let metric = observation["metric"] as? String ?? ""
            let labels = (observation["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            let value = (observation["value"] as? NSNumber)?.doubleValue ?? .nan
            if metric == "factor_observations_reused" { run.reused = value; continue }
            guard metric.hasPrefix("factor_") else { continue }
            run.factors["\(metric)\(labels)"] = value
        }
        for alert in object["alerts"] as? [[String: Any]] ?? [] where alert["state"] as? String == "firing" {
            run.firing.insert(alert["rule"] as? String ?? "")
        }
        return run
    }

    /// What a first read of the same files says, with a state database of its own.
    func fresh(_ scratch: Scratch, _ name: String) throws -> Run {
        try eval(try setUp(scratch, state: name).config)
    }

    @Test func anUnchangedFileIsReusedAndAnyChangeIsReadAgain() throws {
        let scratch = Scratch()
        let (config, dir) = try setUp(scratch)
        let latest = dir + "/20261119.parquet"
        #expect(try eval(config).reused == 0)
        _ = try eval(config)  // the first read taught the checks their memory; this one reads with it
        let reused = try eval(config)
        #expect(reused.reused == 1)
        #expect(try eval(config).reused == 1)
        let first = try fresh(scratch, "a.db")
        #expect(first.reused == 0)
        #expect(reused.factors.count > 100)
        // The reused observations are what reading the files gives (apart from what the memory adds).
        for (series, value) in first.factors {
            #expect(reused.factors[series].map { $0 == value || ($0.isNaN && value.isNaN) } ?? false, "\(series)")
        }

        // Same bytes, a new modification time: read again.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3_600)],
                                              ofItemAtPath: latest)
        #expect(try eval(config).reused == 0)
        _ = try eval(config)
        #expect(try eval(config).reused == 1)

        // Replaced by rename with other content: read again, and the figures are the new file's (pyarrow's count).
        let other = dir + "/.incoming.parquet"
        try FileManager.default.copyItem(atPath: dir + "/20261117.parquet", toPath: other)
        #expect(rename(other, latest) == 0)
        let replaced = try eval(config)
        #expect(replaced.reused == 0)
        let rows = try runProgram(["python3", "-c", "import pyarrow.parquet as pq, sys; "
                                   + "print(pq.ParquetFile(sys.argv[1]).metadata.num_rows)", latest])
        #expect(replaced.factors["factor_rows[(key: \"__date\", value: \"20261119\")]"]
                == Double(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(rows.stderr)")
    }

    @Test func aCorruptReplacementIsStillAnAlertAtEveryTick() throws {
        let scratch = Scratch()
        let (config, dir) = try setUp(scratch)
        let latest = dir + "/20261119.parquet"
        _ = try eval(config)
        _ = try eval(config)
        #expect(try eval(config).reused == 1)
        // The same size, garbage in the middle, put in place by rename.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: latest))
        for index in stride(from: 4, to: bytes.count - 8, by: 7) { bytes[index] = 0xA5 }
        let incoming = dir + "/.incoming"
        try bytes.write(to: URL(fileURLWithPath: incoming))
        #expect(rename(incoming, latest) == 0)
        for _ in 0..<3 {
            let run = try eval(config)
            #expect(run.reused == nil, "a file that cannot be used is never taken from the cache")
            #expect(run.firing.contains("FactorFileUnusable"), "\(run.firing)")
        }
    }
}
