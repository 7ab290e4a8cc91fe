#if canImport(Glibc)
import Glibc
#endif
import Parquet

/// Reads the latest factor file (and the ones before it) and reports its quality: the plain statistics of every
/// column, and the model-aware checks of `FactorChecks` (README, "Factor-file checks").
///
/// Every metric carries the latest file's date as the annotation `__date`, which is not part of an alert's
/// identity: a problem that persists from file to file stays one alert. The metrics are listed in the README.
///
/// A latest file that cannot be used (unreadable, truncated, no rows) is a collector failure carrying
/// `factor_file_unusable{file, __reason}`, so the rules see the reason and no other alert of this collector is
/// judged on it. A previous file that cannot be read disables only the comparisons with it.
public struct FactorQualityCollector: Collector {
    public var name: String { "factor_quality" }
    public let files: FactorFilesCollector
    /// The stock-code column, or the columns whose values together identify a stock.
    public let codeColumns: [String]
    public let selection: FactorColumnSelection
    public let checks: FactorChecks

    public var codeColumn: String { codeColumns.joined(separator: "+") }
    public var factors: [String]? { selection.factors }

    public init(dir: String, pattern: String = FactorFilesCollector.Pattern.defaultText, codeColumns: [String] = ["ts_code"],
                selection: FactorColumnSelection = FactorColumnSelection(), checks: FactorChecks = FactorChecks()) {
        files = FactorFilesCollector(dir: dir, pattern: pattern)
        self.codeColumns = codeColumns
        self.selection = selection
        self.checks = checks
    }

    public init(dir: String, pattern: String = FactorFilesCollector.Pattern.defaultText, codeColumn: String,
                factors: [String]? = nil, checks: FactorChecks = FactorChecks()) {
        self.init(dir: dir, pattern: pattern, codeColumns: [codeColumn],
                  selection: FactorColumnSelection(factors: factors), checks: checks)
    }

    /// Every setting the observations depend on, written out (reflection would cost more than the check).
    var settingsText: String {
        func list(_ names: [String]?) -> String { names.map { $0.joined(separator: ",") } ?? "-" }
        let c = checks
        return ["codes=" + codeColumns.joined(separator: ","), "factors=" + list(selection.factors),
                "include=" + list(selection.include), "exclude=" + list(selection.exclude),
                "checks=\(c.enabled)", "required=" + list(c.required), "style=" + list(c.styleFactors),
                "pattern=" + c.codePattern, "constant=\(c.constantTolerance)", "industry=" + c.industryPrefix,
                "sigma=\(c.outlierSigma)", "history=\(c.history)", "standardised=\(c.standardised.map { "\($0)" } ?? "-")",
                "weight=" + (c.weightColumn ?? "-")].joined(separator: "|")
    }

    public var metricNames: [String] {
        ["factor_rows", "factor_columns", "factor_rows_change_fraction", "factor_missing_fraction", "factor_variance",
         "factor_mean", "factor_std", "factor_min", "factor_max", "factor_nonfinite_count", "factor_duplicate_codes",
         "factor_day_over_day_corr", "factor_schema_missing_columns", "factor_schema_type_mismatch",
         "factor_schema_changed", "factor_bad_codes", "factor_constant", "factor_missing_jump", "factor_std_ratio",
         "factor_rank_corr", "factor_outlier_fraction", "factor_cap_weighted_mean", "factor_equal_weighted_std",
         "factor_industry_stocks", "factor_industry_empty", "factor_industry_sum_mismatch",
         "factor_size_nonlinear_corr", "factor_vif", "factor_check_skipped", "factor_file_unusable",
         "factor_standardised", "factor_codes_unavailable", "factor_previous_unreadable", "factor_file_republished",
         "factor_file_date_mismatch", "factor_universe_stocks", "factor_universe_change_fraction",
         "factor_observations_reused"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let dated = try files.datedFiles(notAfter: context.today)
        guard let latest = dated.last else { return [] }
        let date = Labels().annotating("date", latest.date.yyyymmdd)
        // Unchanged files, settings and memory: the last run's observations, without opening a file.
        let cache = FactorQualityCache(memory: context.memory, collector: name)
        let fingerprint = cache.fingerprint(settingsText, dated: dated, calendar: context.calendar)
        if let fingerprint, let cached = cache.observations(for: fingerprint) {
            return cached + [Observation("factor_observations_reused", date, 1)]
        }
        let observations = try read(latest, date, dated: dated, context: context)
        if let fingerprint { cache.store(observations, for: fingerprint) }
        return observations + [Observation("factor_observations_reused", date, 0)]
    }

    private func read(_ latest: (date: LocalDate, path: String), _ date: Labels,
                      dated: [(date: LocalDate, path: String)], context: CollectionContext) throws -> [Observation] {
        let table: any FactorTable
        do {
            table = try openFactorTable(path: latest.path)
        } catch {
            throw unusable(latest.path, date, "\(error)")
        }
        guard table.rowCount > 0 else {
            throw unusable(latest.path, date, "the file has no rows", extra: [Observation("factor_rows", date, 0)])
        }
        keepColumnBuffers()
        let pass = FactorFilePass(table: table, date: date, fileDate: latest.date, codeColumns: codeColumns,
                                  checks: checks, selection: selection)
        do {
            try measure(pass, dated: dated, context: context)
        } catch {
            throw unusable(latest.path, date, "\(error)", extra: pass.observations)
        }
        return pass.observations
    }

    /// The failure for a latest file that cannot be used, with the observation the rules alert on.
    private func unusable(_ path: String, _ date: Labels, _ reason: String, extra: [Observation] = [])
        -> CollectorFailure {
        let labels = date.setting("file", path).annotating("reason", reason)
        return CollectorFailure("latest file \(path): \(reason)",
                                observations: extra + [Observation("factor_file_unusable", labels, 1)])
    }

    private func measure(_ pass: FactorFilePass, dated: [(date: LocalDate, path: String)],
                         context: CollectionContext) throws {
        let table = pass.table, date = pass.date
        pass.emit("factor_rows", date, Double(table.rowCount))
        pass.emit("factor_columns", date, Double(table.columns.count))
        let codes = try readCodes(pass)
        openPrevious(pass, dated: dated, codes: codes, calendar: context.calendar)
        let memory = FactorMemory(context.memory, collector: name)
        if checks.enabled {
            pass.checkSchema(contract: memory.contract)
            pass.history = memory.history
            pass.historyDates = pass.history.dates(before: dated.last!.date.yyyymmdd, limit: checks.history)
            try pass.prepareWeights()
        }
        var textColumns: [String] = []
        for column in table.columns where !column.isPandasIndex {
            let role = pass.role(of: column)
            if column.isNumeric {
                try pass.numericColumn(column.name, try table.readDoubles(column: column.name), role: role)
            } else if role == .code, pass.codes != nil {
                pass.emit("factor_missing_fraction", date.setting("column", column.name), pass.codeNullFraction)
            } else {
                textColumns.append(column.name)
            }
        }
        try pass.textColumns(textColumns)
        for missing in (selection.factors ?? []) where table.column(named: missing) == nil {
            pass.emit("factor_missing_fraction", date.setting("column", missing), 1)
        }
        pass.finish()
        if checks.enabled {
            memory.remember(pass, keep: checks.history + 1)
        }
    }
}

/// The checks allocate and free column-sized buffers (a few MiB each) for every column. By default glibc maps
/// each of them afresh and unmaps it on free, so every column pays its pages again in faults (a third of a
/// 500,000-row read went to the kernel); freed buffers are kept for reuse instead. Peak RSS is unchanged: it is
/// set by the buffers alive at once.
private func keepColumnBuffers() {
    #if canImport(Glibc)
    // mallopt is not in Swift's Glibc module (malloc.h); M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD -3.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(-3, 256 << 20)
    _ = mallopt(-1, 512 << 20)
    #endif
}
