import Foundation
import Testing

@testable import FactorWatch

/// Every check's figures against pandas/numpy/scipy on the fixture series, plus the behaviours around them.
@Suite struct FactorChecksTests {
    let standardised = FactorQualityCollector(
        dir: CheckFixtures.series,
        checks: FactorChecks(styleFactors: FactorChecks.cne5StyleFactors, standardised: true, weightColumn: "mkt_cap"))

    @Test func everyFigureMatchesPandasOnEveryDay() throws {
        let runs = try CheckFixtures.runSeries(standardised)
        #expect(!CheckFixtures.expected.isEmpty, "pandas and scipy are needed: bash scripts/install-deps.sh")
        for date in CheckFixtures.dates {
            let o = try #require(runs[date])
            let t = { (key: String) in CheckFixtures.table(date, key) }
            expectClose(o.byLabel("factor_rank_corr", "factor"), t("rank_corr"), "\(date) rank_corr")
            expectClose(o.byLabel("factor_outlier_fraction", "factor"), t("outliers"), "\(date) outliers")
            expectClose(o.byLabel("factor_std_ratio", "factor"), t("std_ratio"), "\(date) std_ratio")
            expectClose(o.byLabel("factor_missing_jump", "column"), t("missing_jump"), "\(date) missing_jump")
            expectClose(o.byLabel("factor_vif", "factor"), t("vif"), "\(date) vif", tolerance: 1e-7)
            expectClose(o.byLabel("factor_industry_stocks", "industry"), t("industry_stocks"), "\(date) industry")
            expectClose(o.byLabel("factor_cap_weighted_mean", "factor"), t("cap_mean"), "\(date) cap mean")
            expectClose(o.byLabel("factor_missing_fraction", "column"), t("missing"), "\(date) missing fraction")
            // Industry dummies are checked as a group (factor_industry_empty), not as constant factors.
            let constant = t("constant").filter { !$0.key.hasPrefix("ind_") }
            expectClose(o.byLabel("factor_constant", "factor"), constant, "\(date) constant")
            let empty = t("industry_stocks").filter { $0.value == 0 }.keys.sorted()
            #expect(o.single("factor_industry_empty")?.value == Double(empty.count))
            #expect(o.single("factor_bad_codes")?.value == CheckFixtures.number(date, "bad_codes"))
            #expect(o.single("factor_duplicate_codes")?.value == CheckFixtures.number(date, "duplicate_codes"))
            #expect(o.single("factor_industry_sum_mismatch")?.value == CheckFixtures.number(date, "industry_mismatch"))
            let corr = try #require(o.single("factor_size_nonlinear_corr")?.value)
            #expect(abs(corr - CheckFixtures.number(date, "size_nls_corr")!) < 1e-9)
        }
        let scipy = try #require(CheckFixtures.number("20261124", "scipy_rank_corr_size"))
        #expect(abs(runs["20261124"]!.byLabel("factor_rank_corr", "factor")["size"]! - scipy) < 1e-9)
    }

    @Test func theBrokenDayShowsEveryProblemAndTheHealthyDayNone() throws {
        let runs = try CheckFixtures.runSeries(standardised)
        let healthy = runs["20261123"]!, broken = runs["20261124"]!
        #expect(healthy.byLabel("factor_constant", "factor").values.allSatisfy { $0 == 0 })
        let constants = broken.byLabel("factor_constant", "factor").filter { $0.value == 1 }.keys.sorted()
        #expect(constants == ["beta"])
        #expect(broken.single("factor_industry_empty")?.labels.annotation("industries") == "ind_06")
        // The raw volatility factor has a variance under 0.001 but is not constant.
        #expect(broken.byLabel("factor_constant", "factor")["residual_volatility"] == 0)
        #expect(healthy.byLabel("factor_rank_corr", "factor").values.allSatisfy { $0 > 0.95 })
        #expect(broken.byLabel("factor_rank_corr", "factor")["book_to_price"]! < 0.8)
        #expect(healthy.byLabel("factor_outlier_fraction", "factor").values.allSatisfy { $0 <= 0.02 })
        #expect(broken.byLabel("factor_outlier_fraction", "factor")["earnings_yield"]! > 0.02)
        #expect(broken.byLabel("factor_std_ratio", "factor")["liquidity"]! > 2)
        #expect(broken.byLabel("factor_missing_jump", "column")["momentum"]! > 0.05)
        #expect(healthy.byLabel("factor_vif", "factor").values.allSatisfy { $0 < 5 })
        #expect(broken.byLabel("factor_vif", "factor")["size"]! > 10)
        #expect(healthy.single("factor_industry_sum_mismatch")?.value == 0)
        #expect(broken.byLabel("factor_industry_stocks", "industry")["ind_06"] == 0)
    }

    @Test func schemaContractNamesMissingAndChangedColumns() throws {
        let broken = try CheckFixtures.runSeries(standardised)["20261124"]!
        #expect(broken.byLabel("factor_schema_missing_columns", "column") == ["leverage": 1])
        let changed = try #require(broken.single("factor_schema_changed"))
        #expect(changed.value == 2)
        #expect(changed.labels["added"] == "extra" && changed.labels["removed"] == "leverage")
        let healthy = try CheckFixtures.runSeries(standardised, through: "20261123")["20261123"]!
        #expect(healthy.single("factor_schema_changed")?.value == 0)
        #expect(healthy.filter { $0.metric == "factor_schema_missing_columns" }.isEmpty)
    }

    @Test func aColumnOfTheWrongTypeIsReported() throws {
        let dir = try CollectScratchDirectory()
        try "ts_code,size,beta\n000001.SZ,1.5,high\n000002.SZ,0.5,low\n600000.SH,-1,mid\n"
            .write(toFile: dir.path + "/20261124.csv", atomically: true, encoding: .utf8)
        let collector = FactorQualityCollector(dir: dir.path, pattern: "%Y%m%d.csv",
                                               checks: FactorChecks(required: ["ts_code", "size", "beta"]))
        let o = try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        let mismatch = try #require(o.single("factor_schema_type_mismatch"))
        #expect(mismatch.labels["column"] == "beta" && mismatch.labels["expected"] == "numeric")
        #expect(o.filter { $0.metric == "factor_schema_missing_columns" }.isEmpty)
    }

    @Test func aFileWithoutCodesGetsEveryOtherCheckAndOneNote() throws {
        let collector = FactorQualityCollector(dir: CheckFixtures.root + "/nocode/by_date",
                                               selection: FactorColumnSelection(exclude: ["mkt_*"]))
        let o = try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        #expect(o.filter { $0.metric == "factor_schema_missing_columns" }.isEmpty)
        #expect(o.filter { $0.metric == "factor_check_skipped" }.isEmpty)
        let note = try #require(o.single("factor_codes_unavailable"))
        #expect(note.labels.identity == ["column": "ts_code", "problem": "missing"])
        #expect(note.labels.annotation("checks")?.contains("rank correlation") == true)
        expectClose(o.byLabel("factor_outlier_fraction", "factor").filter { $0.key != "mkt_cap" },
                    CheckFixtures.table("nocode", "outliers"), "outliers")
        expectClose(o.byLabel("factor_vif", "factor"), CheckFixtures.table("nocode", "vif"), "vif", tolerance: 1e-7)
        // Worst rows are named by number when there are no codes.
        let worst = o.filter { $0.metric == "factor_outlier_fraction" }.compactMap { $0.labels.annotation("worst") }
        #expect(worst.allSatisfy { $0.hasPrefix("row ") })
    }

    @Test func theOutlierAlertNamesTheWorstCodes() throws {
        let broken = try CheckFixtures.runSeries(standardised)["20261124"]!
        let outliers = try #require(broken.first {
            $0.metric == "factor_outlier_fraction" && $0.labels["factor"] == "earnings_yield"
        })
        let worst = try #require(outliers.labels.annotation("worst")).components(separatedBy: ", ")
        #expect(worst.count == 3)
        let shape = try Regex(#"^\d{6}\.S[HZ] \(\d+\.\dσ\)$"#)
        #expect(worst.allSatisfy { (try? shape.wholeMatch(in: $0)) != nil }, "\(worst)")
    }

    @Test func exposuresAreWeightedByExpSizeWithoutAWeightColumn() throws {
        let collector = FactorQualityCollector(dir: CheckFixtures.series, checks: FactorChecks(standardised: true))
        let o = try collector.collect(CheckFixtures.context("20261123", memory: EphemeralMemory()))
        expectClose(o.byLabel("factor_cap_weighted_mean", "factor"), CheckFixtures.table("20261123", "exp_size_mean"),
                    "exp(size) weighted mean")
        // pandas' sample std (ddof=1) of every factor the collector judges (all but the industry dummies).
        let std = CheckFixtures.table("20261123", "std").filter { !$0.key.hasPrefix("ind_") }
        expectClose(o.byLabel("factor_equal_weighted_std", "factor"), std, "equal-weighted std")
    }

    @Test func standardisationIsDetectedAndCanBeTurnedOff() throws {
        let detected = try FactorQualityCollector(dir: CheckFixtures.series)
            .collect(CheckFixtures.context("20261123", memory: EphemeralMemory()))
        // The fixture's exposures are z-scored; its market cap column is raw.
        let flags = detected.byLabel("factor_standardised", "factor")
        #expect(flags["size"] == 1 && flags["beta"] == 1 && flags["mkt_cap"] == 0)
        #expect(detected.byLabel("factor_outlier_fraction", "factor")["mkt_cap"] == nil)
        #expect(detected.byLabel("factor_outlier_fraction", "factor")["size"] != nil)
        let off = try FactorQualityCollector(dir: CheckFixtures.series, checks: FactorChecks(standardised: false))
            .collect(CheckFixtures.context("20261123", memory: EphemeralMemory()))
        #expect(off.filter { $0.metric.hasPrefix("factor_cap_weighted") || $0.metric == "factor_equal_weighted_std"
            || $0.metric == "factor_outlier_fraction" }.isEmpty)
    }

    @Test func aCustomCodePatternIsMatchedAsAWhole() throws {
        let dir = try CollectScratchDirectory()
        try "ts_code,size\nSH600000,1\nSZ000001,2\n600000.SH,3\nSH6000001,4\n"
            .write(toFile: dir.path + "/20261124.csv", atomically: true, encoding: .utf8)
        let custom = FactorQualityCollector(dir: dir.path, pattern: "%Y%m%d.csv",
                                            checks: FactorChecks(codePattern: #"(SH|SZ)\d{6}"#))
        let o = try custom.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        let bad = try #require(o.single("factor_bad_codes"))
        #expect(bad.value == 2)
        #expect(bad.labels.annotation("examples") == #""600000.SH", "SH6000001""#)
        let standard = FactorQualityCollector(dir: dir.path, pattern: "%Y%m%d.csv")
        #expect(try standard.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
            .single("factor_bad_codes")?.value == 3)
    }

    @Test func constantIsJudgedAgainstTheColumnsOwnScale() throws {
        let dir = try CollectScratchDirectory()
        var csv = "ts_code,raw_vol,stuck,flat\n"
        for i in 0..<50 {
            let volatility = 0.01 + 0.001 * Double(i % 7), stuck = 5 + 1e-12 * Double(i % 2)
            csv += String(format: "%06d.SZ,%.4f,%.12f,2.5\n", i + 1, volatility, stuck)
        }
        try csv.write(toFile: dir.path + "/20261124.csv", atomically: true, encoding: .utf8)
        let collector = FactorQualityCollector(dir: dir.path, pattern: "%Y%m%d.csv")
        let o = try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        #expect(o.byLabel("factor_variance", "factor")["raw_vol"]! < 0.001)
        #expect(o.byLabel("factor_constant", "factor") == ["raw_vol": 0, "stuck": 1, "flat": 1])
    }

    @Test func rerunningTheSameDayDoesNotCountItTwice() throws {
        let memory = EphemeralMemory()
        for date in CheckFixtures.dates {
            _ = try standardised.collect(CheckFixtures.context(date, memory: memory))
        }
        let again = try standardised.collect(CheckFixtures.context("20261124", memory: memory))
        expectClose(again.byLabel("factor_std_ratio", "factor"), CheckFixtures.table("20261124", "std_ratio"),
                    "std ratio after a re-run")
    }

    @Test func turningChecksOffLeavesThePlainStatistics() throws {
        let collector = FactorQualityCollector(dir: CheckFixtures.series, checks: .disabled)
        let o = try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        let plain: Set = ["factor_rows", "factor_columns", "factor_rows_change_fraction", "factor_missing_fraction",
                          "factor_variance", "factor_mean", "factor_std", "factor_min", "factor_max",
                          "factor_nonfinite_count", "factor_duplicate_codes", "factor_day_over_day_corr",
                          "factor_constant", "factor_observations_reused"]
        #expect(Set(o.map(\.metric)) == plain)
    }
}
