#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parquet

/// One run of `factor_quality` over the latest file: every column is read once and handed to every check that
/// needs it, then dropped, except the few kept for checks across columns (style factors, weights, industry sums).
final class FactorFilePass {
    let table: any FactorTable
    let date: Labels
    let codeColumn: String
    let checks: FactorChecks
    let factorNames: [String]
    private(set) var observations: [Observation] = []

    /// The previous file (day-over-day Pearson, row change, schema change) and the previous trading day's file
    /// (rank correlation); often the same file.
    var previous: PreviousFile?
    var priorDay: PreviousFile?
    /// The stock codes, to name the worst rows in alerts.
    var codes: [String?]?
    var history = FactorHistory(text: nil)
    var historyDates: [String] = []
    private var weights: [Double]?
    private var styleValues: [String: [Double]] = [:]
    private var industrySums: [Double]?
    private var industryColumns = 0
    private var scratch: [Double] = []
    private var recorded: [String: FactorHistory.Entry] = [:]

    init(table: any FactorTable, date: Labels, codeColumn: String, checks: FactorChecks, factorNames: [String]) {
        self.table = table
        self.date = date
        self.codeColumn = codeColumn
        self.checks = checks
        self.factorNames = factorNames
    }

    func emit(_ metric: String, _ labels: Labels, _ value: Double) {
        observations.append(Observation(metric, labels, value))
    }

    func skipped(_ check: String, _ reason: String) {
        emit("factor_check_skipped", date.setting("check", check).setting("reason", reason), 1)
    }

    /// Schema contract: required columns and their types, and columns added or removed since the previous file.
    func checkSchema() {
        for name in checks.requiredColumns(codeColumn: codeColumn) {
            guard let column = table.column(named: name) else {
                emit("factor_schema_missing_columns", date.setting("column", name), 1)
                continue
            }
            let wantsText = name == codeColumn
            let ok = wantsText ? column.physicalType == "BYTE_ARRAY" || column.physicalType == "TEXT"
                || column.typeName == "string" : column.isNumeric
            if !ok {
                let labels = date.setting("column", name).setting("type", column.typeName)
                    .setting("expected", wantsText ? "string" : "numeric")
                emit("factor_schema_type_mismatch", labels, 1)
            }
        }
        guard let previous else { return }
        let before = Set(previous.table.columns.map(\.name)), now = table.columns.map(\.name)
        let added = now.filter { !before.contains($0) }
        let removed = previous.table.columns.map(\.name).filter { table.column(named: $0) == nil }
        var labels = date
        if !added.isEmpty { labels = labels.setting("added", added.joined(separator: ",")) }
        if !removed.isEmpty { labels = labels.setting("removed", removed.joined(separator: ",")) }
        emit("factor_schema_changed", labels, Double(added.count + removed.count))
    }

    /// Stock-code format; nulls count as bad codes.
    func checkCodes(_ values: [String?]) throws {
        let matcher = try checks.codeMatcher()
        var bad = 0
        var examples: [String] = []
        for code in values {
            let good = code.map(matcher.matches) ?? false
            if good { continue }
            bad += 1
            if examples.count < 3 { examples.append(code.map { "\"\($0)\"" } ?? "null") }
        }
        let labels = bad > 0 ? date.setting("examples", examples.joined(separator: ", ")) : date
        emit("factor_bad_codes", labels, Double(bad))
    }

    /// Reads the standardisation weights before the columns go by: a market-cap column, or exp(size).
    func prepareWeights() throws {
        guard checks.enabled, checks.standardised else { return }
        let source = checks.weightColumn ?? "size"
        guard table.column(named: source)?.isNumeric == true else {
            skipped("standardisation", "no numeric column \(source) for the weights")
            return
        }
        let values = try table.readDoubles(column: source)
        weights = checks.weightColumn == nil ? values.map { $0.isFinite ? exp($0) : .nan } : values
    }

    /// All checks on one numeric column. `isFactor` says whether it is one of the reported factors.
    func numericColumn(_ name: String, _ values: [Double], isFactor: Bool) throws {
        let figures = ColumnFigures(values)
        emit("factor_missing_fraction", date.setting("column", name), figures.missingFraction)
        guard isFactor else {
            recorded[name] = FactorHistory.Entry(missing: figures.missingFraction, std: nil)
            return
        }
        let labels = date.setting("factor", name)
        emit("factor_nonfinite_count", labels, Double(figures.infinities))
        let plain: [(String, Double?)] = [("factor_variance", figures.variance), ("factor_mean", figures.mean),
                                          ("factor_std", figures.std), ("factor_min", figures.min),
                                          ("factor_max", figures.max)]
        for case let (metric, value?) in plain { emit(metric, labels, value) }
        let previousValues = try previous?.values(name)
        defer {
            previous?.forget(name)
            priorDay?.forget(name)
        }
        if let previous, let previousValues,
           let corr = pearson(previous.pairs.lazy.map { (values[$0.0], previousValues[$0.1]) }) {
            emit("factor_day_over_day_corr", labels, corr)
        }
        guard checks.enabled else { return }
        recorded[name] = FactorHistory.Entry(missing: figures.missingFraction, std: figures.std)
        emit("factor_constant", labels, figures.isConstant(tolerance: checks.constantTolerance) ? 1 : 0)
        if let usual = history.median(name, over: historyDates, { $0.missing }) {
            emit("factor_missing_jump", date.setting("column", name), figures.missingFraction - usual)
        }
        if checks.isIndustry(name) {
            industry(name, values)
            return
        }
        if name == checks.weightColumn { return }
        drift(name, figures, labels)
        if let priorDay, let before = try priorDay.values(name), let corr = spearman(values, before,
                                                                                      pairs: priorDay.pairs) {
            emit("factor_rank_corr", labels, corr)
        }
        if let outliers = RobustOutliers(values, sigma: checks.outlierSigma, scratch: &scratch) {
            let worst = outliers.worst.map { "\(rowName($0.row)) (\(formatDouble($0.z, format: "%.1f"))σ)" }
            let outlierLabels = worst.isEmpty ? labels : labels.setting("worst", worst.joined(separator: ", "))
            emit("factor_outlier_fraction", outlierLabels, outliers.fraction)
        }
        if let weights, let mean = weightedMean(values, weights: weights) {
            emit("factor_cap_weighted_mean", labels, mean)
            if let std = figures.std { emit("factor_equal_weighted_std", labels, std) }
        }
        if checks.styleFactors.contains(name) { styleValues[name] = values }
    }

    /// Dispersion against the median of the previous files.
    private func drift(_ name: String, _ figures: ColumnFigures, _ labels: Labels) {
        if let std = figures.std, let usual = history.median(name, over: historyDates, { $0.std }), usual > 0 {
            emit("factor_std_ratio", labels, std / usual)
        }
    }

    private func industry(_ name: String, _ values: [Double]) {
        industryColumns += 1
        // Taken out and put back so the running sums are updated in place, not copied per column.
        var sums = industrySums ?? [Double](repeating: 0, count: values.count)
        industrySums = nil
        var members = 0.0
        for (row, value) in values.enumerated() where value.isFinite {
            sums[row] += value
            members += value
        }
        industrySums = sums
        emit("factor_industry_stocks", date.setting("industry", name), members)
    }

    /// The code of a row, or its number when the file has no codes.
    private func rowName(_ row: Int) -> String {
        codes?[row] ?? "row \(row)"
    }

    /// Checks across columns, once every column has been seen.
    func finish() {
        guard checks.enabled else { return }
        if let industrySums, industryColumns > 0 {
            let mismatched = industrySums.reduce(0) { $0 + (Swift.abs($1 - 1) > 1e-9 ? 1 : 0) }
            emit("factor_industry_sum_mismatch", date, Double(mismatched))
        }
        if let size = styleValues["size"], let nonLinear = styleValues["non_linear_size"],
           let corr = pearson(zip(size, nonLinear)) {
            emit("factor_size_nonlinear_corr", date, Swift.abs(corr))
        }
        let style = checks.styleFactors.filter { name in
            guard let values = styleValues[name] else { return false }
            return !ColumnFigures(values).isConstant(tolerance: checks.constantTolerance)
        }
        if let vifs = varianceInflationFactors(style.map { styleValues[$0]! }) {
            for (name, vif) in zip(style, vifs) { emit("factor_vif", date.setting("factor", name), vif) }
        }
    }

    /// What this file adds to the history.
    var historyEntries: [String: FactorHistory.Entry] { recorded }
}

/// A file before the latest one: its table, the row pairs joined on the stock code, and its columns as read.
final class PreviousFile {
    let table: any FactorTable
    /// (row in the latest file, row in this one) for codes unique in both, in the latest file's order.
    let pairs: [(Int, Int)]
    private var cache: [String: [Double]] = [:]

    init(table: any FactorTable, pairs: [(Int, Int)]) {
        self.table = table
        self.pairs = pairs
    }

    /// A numeric column, read once; nil when this file lacks it.
    func values(_ name: String) throws -> [Double]? {
        if let cached = cache[name] { return cached }
        guard table.column(named: name)?.isNumeric == true else { return nil }
        let values = try table.readDoubles(column: name)
        cache[name] = values
        return values
    }

    /// Drops a column once every check has used it (a million-row file must not be held whole).
    func forget(_ name: String) {
        cache[name] = nil
    }
}
