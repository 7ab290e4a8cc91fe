import Foundation
import Testing
@testable import FactorWatch

@Suite struct FactorQualityCollectorTests {
    let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/examples/demo/data/barra_factors/by_date"

    func collect(_ dir: String, now: String = "2026-11-24T02:45") throws -> [Observation] {
        let context = CollectionContext(now: at(now), zone: shanghai, calendar: .weekdays)
        return try FactorQualityCollector(dir: dir).collect(context)
    }

    func value(_ observations: [Observation], _ metric: String, _ labels: [String: String] = [:]) -> Double? {
        observations.first { o in o.metric == metric && labels.allSatisfy { key, value in o.labels[key] == value } }?.value
    }

    /// pandas' own figures for the latest demo file, computed by pandas in a child process.
    func pandasFigures() throws -> [String: [String: Double]] {
        let script = """
            import json, sys, pandas as pd
            df = pd.read_parquet(sys.argv[1])
            prev = pd.read_parquet(sys.argv[2]).set_index('ts_code')
            cur = df.set_index('ts_code')
            out = {'var': df.var(numeric_only=True).fillna(-1).to_dict(),
                   'missing': df.isnull().mean().to_dict(),
                   'corr': {c: cur[c].corr(prev[c].reindex(cur.index)) for c in cur.columns if cur[c].std() > 0}}
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, demo + "/20261119.parquet", demo + "/20261118.parquet"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pandas and pyarrow are needed: bash scripts/install-deps.sh")
        return try JSONDecoder().decode([String: [String: Double]].self, from: data)
    }

    @Test func figuresMatchPandas() throws {
        let observations = try collect(demo)
        let pandas = try pandasFigures()
        #expect(value(observations, "factor_rows") == 3950)
        #expect(abs(value(observations, "factor_rows_change_fraction")! - (3950.0 - 4100.0) / 4100.0) < 1e-12)
        #expect(value(observations, "factor_duplicate_codes") == 0)
        for (factor, variance) in pandas["var"]! where variance >= 0 {
            let ours = try #require(value(observations, "factor_variance", ["factor": factor]))
            #expect(abs(ours - variance) <= 1e-9 * max(1, abs(variance)), "\(factor)")
        }
        for (column, fraction) in pandas["missing"]! {
            #expect(value(observations, "factor_missing_fraction", ["column": column]) == fraction, "\(column)")
        }
        for (factor, corr) in pandas["corr"]! {
            let ours = try #require(value(observations, "factor_day_over_day_corr", ["factor": factor]))
            #expect(abs(ours - corr) < 1e-9, "\(factor)")
        }
        #expect(value(observations, "factor_variance", ["factor": "growth"]) == 0)
        #expect(observations.allSatisfy { $0.labels.annotation("date") == "20261119" })
    }

    @Test func duplicateCodesAreCounted() throws {
        let dir = TemporaryDirectory()
        try dir.writeCSV("20261119.csv", "ts_code,size\n000001.SZ,1\n000001.SZ,2\n000002.SZ,3\n000003.SZ,4\n000003.SZ,5\n")
        let context = CollectionContext(now: at("2026-11-20T02:45"), zone: shanghai, calendar: .weekdays)
        let observations = try FactorQualityCollector(dir: dir.path, pattern: "%Y%m%d.csv").collect(context)
        #expect(value(observations, "factor_duplicate_codes") == 2)
        #expect(value(observations, "factor_rows") == 5)
    }

    @Test func corruptFileIsACollectorFailureNamingTheFile() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: demo + "/20261118.parquet", toPath: dir.file("20261118.parquet"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: demo + "/20261119.parquet"))
        bytes = bytes.prefix(bytes.count / 2)
        try bytes.write(to: URL(fileURLWithPath: dir.file("20261119.parquet")))
        #expect {
            try collect(dir.path)
        } throws: { error in
            let message = "\(error)"
            return error is CollectorFailure && message.contains("20261119.parquet")
        }
    }
}

extension TemporaryDirectory {
    func writeCSV(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }
}
