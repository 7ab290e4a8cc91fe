import Foundation
import Testing

/// `inspect` against pandas on the same files: a pyarrow-written Parquet file with several row groups, nulls,
/// NaN, ±inf, integers and float32, and the same table as CSV.
@Suite struct InspectCommandTests {
    /// Writes a.parquet and a.csv into `dir` and prints pandas' figures for each column as JSON.
    static let reference = #"""
        import json, sys
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        out = sys.argv[1]
        rng = np.random.default_rng(7)
        n = 5000
        df = pd.DataFrame({
            "ts_code": [f"{i:06d}.SZ" if i % 97 else None for i in range(n)],
            "size": rng.normal(size=n),
            "beta": np.where(rng.random(n) < 0.1, np.nan, rng.normal(1, 0.3, n)),
            "liquidity": np.where(rng.random(n) < 0.01, np.inf, rng.normal(size=n)),
            "ind_01": rng.integers(0, 2, n).astype("int64"),
            "growth32": rng.normal(size=n).astype("float32"),
        })
        df.loc[5, "liquidity"] = -np.inf
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out + "/a.parquet", row_group_size=1234,
                       compression="zstd")
        df.to_csv(out + "/a.csv", index=False)
        figures = {}
        for name in df.columns:
            s = df[name]
            column = {"count": int(s.count()), "nulls": int(s.isnull().sum()), "null_fraction": float(s.isnull().mean())}
            if pd.api.types.is_numeric_dtype(s):
                values = s.astype("float64")
                finite = values[np.isfinite(values)]
                column.update(mean=float(finite.mean()), variance=float(finite.var(ddof=1)),
                              std=float(finite.std(ddof=1)), min=float(finite.min()), max=float(finite.max()),
                              infinities=int(np.isinf(values).sum()))
            figures[name] = column
        print(json.dumps({"rows": n, "columns": figures}))
        """#

    static func inspect(_ path: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try factorwatch(["inspect", path, "--format", "json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(arguments: ["a.parquet", "a.csv"])
    func everyColumnMatchesPandas(file: String) throws {
        let scratch = Scratch()
        let made = try runProgram(["python3", "-c", Self.reference, scratch.path])
        #expect(made.status == 0, "pandas and pyarrow are needed: bash scripts/install-deps.sh\n\(made.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        let pandas = try #require(expected["columns"] as? [String: [String: Double]])

        let ours = try Self.inspect(scratch.path + "/" + file)
        #expect((ours["rows"] as? Int) == 5_000)
        let columns = try #require(ours["columns"] as? [[String: Any]])
        #expect(columns.compactMap { $0["name"] as? String }.sorted() == pandas.keys.sorted())
        for column in columns {
            let name = column["name"] as? String ?? ""
            for (key, value) in pandas[name] ?? [:] {
                let mine = try #require((column[key] as? NSNumber)?.doubleValue, "\(file) \(name).\(key) missing")
                // float32 written as text and read back as float64 (CSV) differs in the last digits.
                let tolerance = name == "growth32" ? 1e-6 : 1e-9
                #expect(abs(mine - value) <= tolerance * max(1, abs(value)), "\(file) \(name).\(key): \(mine) vs \(value)")
            }
        }
    }

    /// The named columns in the order named; an unknown name is a usage error (exit 2) with the closest one, a file
    /// that cannot be read a failure (exit 1).
    @Test func onlyTheNamedColumnsAndAnUnknownOneIsAnError() throws {
        let scratch = Scratch()
        _ = try runProgram(["python3", "-c", Self.reference, scratch.path])
        let some = try Self.inspect(scratch.path + "/a.parquet", ["--columns", "beta,size"])
        #expect((some["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["beta", "size"])
        let typo = try factorwatch(["inspect", scratch.path + "/a.parquet", "--columns", "bta"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean \"beta\"?"), "\(typo.stderr)")
        scratch.write("broken.parquet", "PAR1 not really")
        #expect(try factorwatch(["inspect", scratch.path + "/broken.parquet"]).status == 1)
    }
}
