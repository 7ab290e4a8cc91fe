import Parquet

/// Reads the latest factor file (and the ones before it) and reports its quality: the plain statistics of every
/// column, and the model-aware checks of `FactorChecks` (README, "Factor-file checks").
///
/// Emits, each with the latest file's `date`:
/// - `factor_rows`, `factor_columns`, `factor_rows_change_fraction` (against the previous file);
/// - `factor_missing_fraction{column}` for every column (nulls + NaN over rows, as pandas `isnull().mean()`);
/// - `factor_variance`, `factor_mean`, `factor_std`, `factor_min`, `factor_max`, `factor_nonfinite_count`
///   `{factor}` over the finite values of each numeric factor column;
/// - `factor_duplicate_codes` and `factor_day_over_day_corr{factor}` (Pearson, joined on the code column) when
///   the file has the code column;
/// - with checks on: `factor_schema_missing_columns{column}`, `factor_schema_type_mismatch{column,type,expected}`,
///   `factor_schema_changed{added,removed}`, `factor_bad_codes{examples}`, `factor_constant{factor}`,
///   `factor_missing_jump{column}`, `factor_std_ratio{factor}`, `factor_rank_corr{factor}`,
///   `factor_outlier_fraction{factor,worst}`, `factor_cap_weighted_mean{factor}`,
///   `factor_equal_weighted_std{factor}`, `factor_industry_stocks{industry}`, `factor_industry_sum_mismatch`,
///   `factor_size_nonlinear_corr`, `factor_vif{factor}`, and `factor_check_skipped{check,reason}` for a check the
///   file cannot get (no code column, no weight column).
/// An unreadable file is a collector failure whose message is the reader's own (file, column, byte offset).
public struct FactorQualityCollector: Collector {
    public var name: String { "factor_quality" }
    public let files: FactorFilesCollector
    public let codeColumn: String
    /// The factor columns to report; nil for every numeric column but the code and pandas' index.
    public let factors: [String]?
    public let checks: FactorChecks

    public init(dir: String, pattern: String = "%Y%m%d.parquet", codeColumn: String = "ts_code",
                factors: [String]? = nil, checks: FactorChecks = FactorChecks()) {
        files = FactorFilesCollector(dir: dir, pattern: pattern)
        self.codeColumn = codeColumn
        self.factors = factors
        self.checks = checks
    }

    public var metricNames: [String] {
        ["factor_rows", "factor_columns", "factor_rows_change_fraction", "factor_missing_fraction", "factor_variance",
         "factor_mean", "factor_std", "factor_min", "factor_max", "factor_nonfinite_count", "factor_duplicate_codes",
         "factor_day_over_day_corr", "factor_schema_missing_columns", "factor_schema_type_mismatch",
         "factor_schema_changed", "factor_bad_codes", "factor_constant", "factor_missing_jump", "factor_std_ratio",
         "factor_rank_corr", "factor_outlier_fraction", "factor_cap_weighted_mean", "factor_equal_weighted_std",
         "factor_industry_stocks", "factor_industry_sum_mismatch", "factor_size_nonlinear_corr", "factor_vif",
         "factor_check_skipped"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let dated = try files.datedFiles(notAfter: context.today)
        guard let latest = dated.last else { return [] }
        let table: any FactorTable
        do {
            table = try openFactorTable(path: latest.path)
        } catch {
            throw CollectorFailure("\(error)")
        }
        let pass = FactorFilePass(table: table, date: ["date": latest.date.yyyymmdd], codeColumn: codeColumn,
                                  checks: checks, factorNames: factorColumns(of: table))
        do {
            try measure(pass, dated: dated, context: context)
        } catch let failure as CollectorFailure {
            throw CollectorFailure(failure.message, observations: pass.observations)
        } catch {
            throw CollectorFailure("\(error)", observations: pass.observations)
        }
        return pass.observations
    }

    private func measure(_ pass: FactorFilePass, dated: [(date: LocalDate, path: String)],
                         context: CollectionContext) throws {
        let table = pass.table, date = pass.date
        pass.emit("factor_rows", date, Double(table.rowCount))
        pass.emit("factor_columns", date, Double(table.columns.count))
        var codes: CodeIndex?
        var codeNulls = 0
        if table.column(named: codeColumn) != nil {
            let values = try table.readStrings(column: codeColumn)
            codes = CodeIndex(values)
            codeNulls = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            pass.emit("factor_duplicate_codes", date, Double(codes!.duplicates.count))
            if checks.enabled {
                pass.codes = values
                try pass.checkCodes(values)
            }
        } else if checks.enabled {
            for check in ["codes", "duplicates", "day_over_day", "rank_corr"] {
                pass.skipped(check, "no code column \(codeColumn)")
            }
        }
        try openPrevious(pass, dated: dated, codes: codes, calendar: context.calendar)
        if checks.enabled {
            pass.checkSchema()
            pass.history = FactorHistory(text: context.memory.value(collector: name, key: FactorHistory.memoryKey))
            pass.historyDates = pass.history.dates(before: dated.last!.date.yyyymmdd, limit: checks.history)
            try pass.prepareWeights()
        }
        let factorSet = Set(pass.factorNames)
        var textColumns: [String] = []
        for column in table.columns where !column.isPandasIndex {
            if column.isNumeric {
                try pass.numericColumn(column.name, try table.readDoubles(column: column.name),
                                       isFactor: factorSet.contains(column.name))
            } else if column.name == codeColumn, codes != nil {
                pass.emit("factor_missing_fraction", date.setting("column", column.name),
                          table.rowCount == 0 ? 0 : Double(codeNulls) / Double(table.rowCount))
            } else {
                textColumns.append(column.name)
            }
        }
        for stats in try table.statistics(columns: textColumns) {
            pass.emit("factor_missing_fraction", date.setting("column", stats.name), stats.nullFraction)
        }
        for missing in (factors ?? []) where table.column(named: missing) == nil {
            pass.emit("factor_missing_fraction", date.setting("column", missing), 1)
        }
        pass.finish()
        if checks.enabled {
            var history = pass.history
            history.record(date["date"]!, pass.historyEntries, keep: checks.history + 1)
            context.memory.set(history.text, collector: name, key: FactorHistory.memoryKey)
        }
    }

    /// Opens the previous file and the previous trading day's file (the same table when they coincide) and joins
    /// their rows to the latest file's on the stock code.
    private func openPrevious(_ pass: FactorFilePass, dated: [(date: LocalDate, path: String)], codes: CodeIndex?,
                              calendar: TradingCalendar) throws {
        guard dated.count >= 2 else { return }
        let latest = dated[dated.count - 1], before = dated[dated.count - 2]
        let priorDate = calendar.previousTradingDay(before: latest.date)
        do {
            let previous = try file(before.path, codes: codes)
            pass.previous = previous
            if previous.table.rowCount > 0 {
                pass.emit("factor_rows_change_fraction", pass.date,
                          Double(pass.table.rowCount - previous.table.rowCount) / Double(previous.table.rowCount))
            }
            guard checks.enabled, codes != nil else { return }
            if before.date == priorDate {
                pass.priorDay = previous
            } else if let prior = dated.last(where: { $0.date == priorDate }) {
                pass.priorDay = try file(prior.path, codes: codes)
            }
        } catch {
            throw CollectorFailure("previous file: \(error)")
        }
    }

    private func file(_ path: String, codes: CodeIndex?) throws -> PreviousFile {
        let table = try openFactorTable(path: path)
        guard let codes, table.column(named: codeColumn) != nil else { return PreviousFile(table: table, pairs: []) }
        let before = CodeIndex(try table.readStrings(column: codeColumn))
        // Row pairs (latest, previous) for codes that are unique in both files.
        var pairs: [(Int, Int)] = []
        for (code, row) in codes.firstRow where !codes.duplicates.contains(code) && !before.duplicates.contains(code) {
            if let other = before.firstRow[code] { pairs.append((row, other)) }
        }
        pairs.sort { $0.0 < $1.0 }
        return PreviousFile(table: table, pairs: pairs)
    }

    func factorColumns(of table: any FactorTable) -> [String] {
        if let factors { return factors.filter { table.column(named: $0) != nil } }
        return table.columns.filter { $0.isNumeric && !$0.isPandasIndex && $0.name != codeColumn }.map(\.name)
    }
}

/// Where each stock code first appears, and which codes appear more than once.
struct CodeIndex {
    var firstRow: [String: Int] = [:]
    var duplicates = Set<String>()

    init(_ codes: [String?]) {
        firstRow.reserveCapacity(codes.count)
        for (row, code) in codes.enumerated() {
            guard let code else { continue }
            if firstRow[code] != nil { duplicates.insert(code) } else { firstRow[code] = row }
        }
    }
}

/// Pearson correlation over the pairs where both values are finite; nil with fewer than 3 pairs or no variance.
func pearson(_ pairs: some Sequence<(Double, Double)>) -> Double? {
    var n = 0.0, meanX = 0.0, meanY = 0.0, cxx = 0.0, cyy = 0.0, cxy = 0.0
    for (x, y) in pairs where x.isFinite && y.isFinite {
        n += 1
        let dx = x - meanX
        meanX += dx / n
        let dy = y - meanY
        meanY += dy / n
        cxx += dx * (x - meanX)
        cyy += dy * (y - meanY)
        cxy += dx * (y - meanY)
    }
    guard n >= 3, cxx > 0, cyy > 0 else { return nil }
    return cxy / (cxx * cyy).squareRoot()
}
