import Foundation
import Testing

@testable import FactorWatch

/// The checks on files cut into many row groups and pages (pyarrow with a small `row_group_size` and
/// `data_page_size`), against pandas, numpy and scipy computing the same figures from the whole tables.
@Suite struct FactorChecksStreamingTests {
    /// Writes two days (the previous one with a few stocks changed, rows shuffled, duplicate codes, ties and
    /// missing values) and prints the reference figures as JSON.
    static let script = """
        import json, sys
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        from scipy import stats
        out, rows, names = sys.argv[1], 3000, [f"f{k}" for k in range(6)]
        rng = np.random.default_rng(15)
        codes = np.array([f"{i:06d}.{'SZ' if i % 3 else 'SH'}" for i in range(rows)])
        codes[[10, 20]] = codes[5]
        base = {n: rng.normal(0, 1, rows) for n in names}
        base["f1"] = np.round(base["f1"], 1)
        base["f2"] = base["f0"] * 0.8 + rng.normal(0, 0.5, rows)
        base["f3"][rng.random(rows) < 0.05] = 6.0
        def write(frame, path, **options):
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(table, path, row_group_size=700, data_page_size=1024, **options)
        latest = pd.DataFrame({"ts_code": codes, **base})
        for n in names:
            latest.loc[rng.random(rows) < 0.02, n] = np.nan
        keep = rng.random(rows) > 0.01
        previous = pd.DataFrame({"ts_code": codes[keep]})
        for n in names:
            previous[n] = base[n][keep] + rng.normal(0, 0.3, keep.sum())
            previous.loc[rng.random(len(previous)) < 0.02, n] = np.nan
        previous["f1"] = np.round(previous["f1"], 1)
        previous.loc[len(previous)] = ["999999.SH"] + [0.0] * len(names)
        previous.loc[len(previous)] = [codes[7]] + [1.0] * len(names)
        previous = previous.iloc[rng.permutation(len(previous))].reset_index(drop=True)
        write(previous, out + "/20261123.parquet", use_dictionary=False)
        write(latest, out + "/20261124.parquet")
        unique = lambda f: f[~f.ts_code.duplicated(keep=False)].set_index("ts_code")
        joined = unique(latest).merge(unique(previous), left_index=True, right_index=True, suffixes=("", "_prev"))
        result = {k: {} for k in ["mean", "std", "min", "max", "missing", "corr", "rank", "outliers"]}
        for n in names:
            x = latest[n]
            result["mean"][n], result["std"][n] = x.mean(), x.std()
            result["min"][n], result["max"][n], result["missing"][n] = x.min(), x.max(), x.isna().mean()
            result["corr"][n] = joined[n].corr(joined[n + "_prev"])
            both = joined[[n, n + "_prev"]].dropna()
            result["rank"][n] = stats.spearmanr(both[n], both[n + "_prev"]).statistic
            finite = x.dropna().to_numpy()
            center = np.median(finite)
            mad = 1.4826 * np.median(np.abs(finite - center))
            result["outliers"][n] = float(np.mean(np.abs(finite - center) / mad > 3))
        complete = latest[names].dropna().to_numpy()
        inverse = np.linalg.inv(np.corrcoef(complete, rowvar=False))
        result["vif"] = dict(zip(names, np.diag(inverse)))
        result["duplicates"] = {"count": float(latest.ts_code[latest.ts_code.duplicated()].nunique())}
        print(json.dumps(result))
        """

    @Test func figuresOverManyRowGroupsAndPagesMatchPandas() throws {
        let dir = TemporaryDirectory()
        let data = try python3(Self.script, [dir.path])
        let expected = try JSONDecoder().decode([String: [String: Double]].self, from: data)
        // Five row groups of 700 rows, each column chunk cut into several pages.
        let layout = try python3("""
            import sys, pyarrow.parquet as pq
            f = pq.ParquetFile(sys.argv[1])
            m = f.metadata
            print(m.num_row_groups, m.row_group(0).column(1).total_compressed_size)
            """, [dir.file("20261124.parquet")])
        let figures = String(decoding: layout, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        #expect(figures.count == 2 && figures[0] == 5 && figures[1] > 3 * 1024, "layout: \(figures)")
        let collector = FactorQualityCollector(dir: dir.path, checks: FactorChecks(standardised: true))
        let context = CollectionContext(now: at("2026-11-24T20:00"), zone: shanghai, calendar: .weekdays)
        let observations = try collector.collect(context)
        let table = { (key: String) in try #require(expected[key]) }
        expectClose(observations.byLabel("factor_mean", "factor"), try table("mean"), "mean")
        expectClose(observations.byLabel("factor_std", "factor"), try table("std"), "std")
        expectClose(observations.byLabel("factor_min", "factor"), try table("min"), "min")
        expectClose(observations.byLabel("factor_max", "factor"), try table("max"), "max")
        let missing = observations.byLabel("factor_missing_fraction", "column").filter { $0.key != "ts_code" }
        expectClose(missing, try table("missing"), "missing")
        expectClose(observations.byLabel("factor_day_over_day_corr", "factor"), try table("corr"), "corr")
        expectClose(observations.byLabel("factor_rank_corr", "factor"), try table("rank"), "rank corr")
        expectClose(observations.byLabel("factor_outlier_fraction", "factor"), try table("outliers"), "outliers")
        expectClose(observations.byLabel("factor_vif", "factor"), try table("vif"), "vif", tolerance: 1e-7)
        #expect(observations.single("factor_duplicate_codes")?.value == expected["duplicates"]?["count"])
    }
}
