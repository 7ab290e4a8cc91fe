import Foundation
import Testing

@testable import FactorWatch

/// Faults of a real pipeline's files (scripts/leana_fixtures.py, then altered with pandas): each is seen, with
/// pandas' figures where there are figures.
@Suite struct FactorFileFaultTests {
    /// Three nights of the transposed layout in a scratch directory, then `alter` (Python, with `d` the
    /// by_date directory and pandas as `pd`) applied to them.
    static func files(_ alter: String, layout: String = "step2") throws -> CollectScratchDirectory {
        let dir = try CollectScratchDirectory()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let script = "import subprocess, sys, shutil, pandas as pd, pyarrow as pa, pyarrow.parquet as pq\n"
            + "subprocess.run([sys.executable, '\(repository)/scripts/leana_fixtures.py', '\(dir.path)', '--days', '3',"
            + " '--layout', '\(layout)'], check=True, stdout=subprocess.DEVNULL)\n"
            + "d = '\(dir.path)/by_date/'\n" + alter
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pandas and pyarrow are needed: bash scripts/install-deps.sh")
        return dir
    }

    /// The collector's observations on the evening of 2025-11-19 (the third file is the latest).
    static func observe(_ dir: CollectScratchDirectory) throws
        -> [Observation] {
        try FactorQualityCollector(dir: dir.path + "/by_date").collect(collectContext("2025-11-19T20:00"))
    }

    @Test func yesterdaysFileRepublishedAsTodaysIsACopy() throws {
        let healthy = try Self.observe(try Self.files(""))
        #expect(healthy.single("factor_file_republished")?.value == 0)
        // Read and written again by pandas, as an emergency "use the previous day's factors" step would.
        let copied = try Self.observe(try Self.files(
            "pd.read_parquet(d + '20251118.parquet').to_parquet(d + '20251119.parquet', index=False)"))
        let flag = try #require(copied.single("factor_file_republished"))
        #expect(flag.value == 1 && flag.labels.annotation("previous") == "20251118")
    }

    @Test func aFileNamedForAnotherDayIsReportedByItsDateColumn() throws {
        let dir = try Self.files("import shutil\nshutil.copy(d + '20251118.parquet', d + '20251119.parquet')",
                                 layout: "step6")
        let o = try Self.observe(dir)
        let mismatch = try #require(o.single("factor_file_date_mismatch"))
        #expect(mismatch.value == 4582 && mismatch.labels.annotation("found") == "20251118")
        #expect(o.single("factor_file_republished")?.value == 1)
    }

    @Test func aVanishedExchangeIsSeenThoughItIsUnderTheRowThreshold() throws {
        let o = try Self.observe(try Self.files("""
            f = pd.read_parquet(d + '20251119.parquet')
            f[~f.ts_code.str.endswith('.BJ')].to_parquet(d + '20251119.parquet', index=False)
            """))
        let change = o.filter { $0.metric == "factor_universe_change_fraction" }
        #expect(change.first { $0.labels["exchange"] == "BJ" }?.value == -1)
        #expect(change.filter { $0.labels["exchange"] != "BJ" }.allSatisfy { $0.value == 0 })
        #expect(abs(o.single("factor_rows_change_fraction")!.value - (-232.0 / 4582)) < 1e-12)
    }

    @Test func anAllNullCodeColumnIsReportedNotFatal() throws {
        let o = try Self.observe(try Self.files("""
            t = pq.read_table(d + '20251119.parquet')
            t = t.set_column(0, 'ts_code', pa.nulls(t.num_rows))
            pq.write_table(t, d + '20251119.parquet')
            """))
        let note = try #require(o.single("factor_codes_unavailable"))
        #expect(note.labels.identity == ["column": "ts_code", "problem": "null"])
        #expect(o.byLabel("factor_constant", "factor")["growth"] == 1)
    }

    @Test func aPreviousFileThatCannotBeReadCostsOnlyTheComparisons() throws {
        let o = try Self.observe(try Self.files("open(d + '20251118.parquet', 'wb').write(b'PAR1 truncated')"))
        let unreadable = try #require(o.single("factor_previous_unreadable"))
        #expect(unreadable.labels["file"]?.hasSuffix("20251118.parquet") == true)
        #expect(o.filter { $0.metric == "factor_day_over_day_corr" }.isEmpty)
        #expect(o.single("factor_rows")?.value == 4582)
        #expect(o.byLabel("factor_vif", "factor")["size"]! > 10)
    }

    @Test func anEmptyOrTruncatedLatestFileIsAFailureWithTheReason() throws {
        let empty = try Self.files("pd.read_parquet(d + '20251119.parquet').head(0).to_parquet(d + '20251119.parquet')")
        let failure = #expect(throws: CollectorFailure.self) { try Self.observe(empty) }
        let unusable = failure?.observations.first { $0.metric == "factor_file_unusable" }
        #expect(unusable?.labels.annotation("reason") == "the file has no rows")
        let truncated = try Self.files("b = open(d + '20251119.parquet', 'rb').read()\n"
            + "open(d + '20251119.parquet', 'wb').write(b[:len(b) // 2])")
        let broken = #expect(throws: CollectorFailure.self) { try Self.observe(truncated) }
        #expect(broken?.observations.contains { $0.metric == "factor_file_unusable" } == true)
    }
}
