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
    func pandasFigures() throws -> [String: [String: Double?]] {
        let script = """
            import json, sys, pandas as pd
            df = pd.read_parquet(sys.argv[1])
            prev = pd.read_parquet(sys.argv[2]).set_index('ts_code')
            cur = df.set_index('ts_code')
            num = [c for c in cur.columns if pd.api.types.is_numeric_dtype(cur[c])]
            corr = {c: cur[c].corr(prev[c].reindex(cur.index)) for c in num if c in prev.columns}
            out = {'var': df.var(numeric_only=True).to_dict(),
                   'missing': df.isnull().mean().to_dict(),
                   'corr': corr,
                   'rows': {'now': len(df), 'before': len(prev)}}
            # NaN (an undefined variance or correlation) is written as null: ours must be absent or NaN there.
            print(json.dumps({k: {c: (None if v != v else v) for c, v in d.items()} for k, d in out.items()}))
            """
        let data = try python3(script, [demo + "/20261119.parquet", demo + "/20261118.parquet"])
        return try JSONDecoder().decode([String: [String: Double?]].self, from: data)
    }

    @Test func figuresMatchPandas() throws {
        let observations = try collect(demo)
        let pandas = try pandasFigures()
        let rows = try #require(pandas["rows"]?["now"] ?? nil), before = try #require(pandas["rows"]?["before"] ?? nil)
        #expect(value(observations, "factor_rows") == rows)
        #expect(abs(value(observations, "factor_rows_change_fraction")! - (rows - before) / before) < 1e-12)
        #expect(value(observations, "factor_duplicate_codes") == 0)
        expectAgreement(observations, "factor_variance", "factor", try #require(pandas["var"]), tolerance: 1e-9)
        expectAgreement(observations, "factor_missing_fraction", "column", try #require(pandas["missing"]),
                        tolerance: 0)
        expectAgreement(observations, "factor_day_over_day_corr", "factor", try #require(pandas["corr"]),
                        tolerance: 1e-9)
        #expect(value(observations, "factor_variance", ["factor": "growth"]) == 0)
        #expect(observations.allSatisfy { $0.labels.annotation("date") == "20261119" })
    }

    /// Each of pandas' figures against ours (relative tolerance); where pandas has none (NaN: a constant column's
    /// correlation, an all-missing column's variance) ours must be absent or NaN, never a number.
    func expectAgreement(_ observations: [Observation], _ metric: String, _ label: String,
                         _ pandas: [String: Double?], tolerance: Double,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!pandas.isEmpty, "pandas gave no \(metric)", sourceLocation: sourceLocation)
        for (key, expected) in pandas {
            let ours = value(observations, metric, [label: key])
            guard let expected else {
                #expect(ours == nil || ours!.isNaN, "\(metric) \(key): \(ours!) where pandas has NaN",
                        sourceLocation: sourceLocation)
                continue
            }
            guard let ours else {
                Issue.record("\(metric) \(key) missing; pandas has \(expected)", sourceLocation: sourceLocation)
                continue
            }
            #expect(abs(ours - expected) <= tolerance * max(1, abs(expected)), "\(metric) \(key): \(ours) vs \(expected)",
                    sourceLocation: sourceLocation)
        }
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
