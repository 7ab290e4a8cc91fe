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
    /// The labels every metric starts from: the file's date as an annotation.
    let date: Labels
    let fileDate: LocalDate
    let codeColumns: [String]
    let checks: FactorChecks
    let selection: FactorColumnSelection
    private(set) var observations: [Observation] = []

    /// The previous file (day-over-day Pearson, row change, schema change, republished copy) and the previous
    /// trading day's file (rank correlation); often the same file.
    var previous: PreviousFile?
    var priorDay: PreviousFile?
    /// The stock codes, to name the worst rows in alerts; nil when the file has none.
    var codes: ByteStrings?
    var codeNullFraction = 0.0
    var history = FactorHistory(text: nil)
    var historyDates: [String] = []
    private var weights: [Double]?
    var styleValues: [String: [Double]] = [:]
    var styleOrder: [String] = []
    /// The style factors found constant, left out of the VIF.
    var constantStyle = Set<String>()
    /// Style factors whose costly checks wait for a second column to run beside.
    private var pending: [ExposureWork] = []
    var industrySums: [Double]?
    var industryColumns = 0
    var emptyIndustries: [String] = []
    /// Style factors compared with the previous file, and how many of them had exactly its figures.
    var comparedFactors = 0
    var identicalFactors = 0
    private var recorded: [String: FactorHistory.Entry] = [:]
    private var reportedUnreadable = Set<String>()

    init(table: any FactorTable, date: Labels, fileDate: LocalDate, codeColumns: [String], checks: FactorChecks,
         selection: FactorColumnSelection) {
        self.table = table
        self.date = date
        self.fileDate = fileDate
        self.codeColumns = codeColumns
        self.checks = checks
        self.selection = selection
    }

    func emit(_ metric: String, _ labels: Labels, _ value: Double) {
        observations.append(Observation(metric, labels, value))
    }

    func skipped(_ check: String, _ reason: String) {
        emit("factor_check_skipped", date.setting("check", check).setting("reason", reason), 1)
    }

    func role(of column: ColumnDescriptor) -> FactorColumnRole {
        selection.role(of: column, codeColumns: codeColumns, checks: checks)
    }

    /// A previous file that cannot be read: reported once, and the comparisons with it dropped.
    func previousUnreadable(_ path: String, _ reason: String) {
        guard reportedUnreadable.insert(path).inserted else { return }
        emit("factor_previous_unreadable", date.setting("file", path).annotating("reason", reason), 1)
        if previous?.table.path == path { previous = nil }
        if priorDay?.table.path == path { priorDay = nil }
    }

    /// Reads the standardisation weights before the columns go by: a market-cap column, or exp(size).
    func prepareWeights() throws {
        // exp(size) stands in for market cap only when standardisation is asserted: it is far from a cap weight
        // for a z-scored size, so a detected standardisation needs a real weight column.
        guard checks.enabled, checks.standardised == true || checks.weightColumn != nil else { return }
        let source = checks.weightColumn ?? "size"
        guard table.column(named: source)?.isNumeric == true else {
            if checks.standardised == true { skipped("standardisation", "no numeric column \(source) for the weights") }
            return
        }
        let values = try table.readDoubles(column: source)
        weights = checks.weightColumn == nil ? values.map { $0.isFinite ? exp($0) : .nan } : values
    }

    /// All checks on one numeric column, by its role.
    func numericColumn(_ name: String, _ values: [Double], role: FactorColumnRole) throws {
        let figures = ColumnFigures(values)
        emit("factor_missing_fraction", date.setting("column", name), figures.missingFraction)
        checkDates(name, values)
        var role = role
        if role == .style, selection.factors == nil, !selection.include.contains(name), isDummy(values) {
            role = .other
        }
        if checks.enabled, role == .industry || role == .style || role == .weight,
           let usual = history.median(name, over: historyDates, { $0.missing }) {
            emit("factor_missing_jump", date.setting("column", name), figures.missingFraction - usual)
        }
        switch role {
        case .industry:
            recorded[name] = FactorHistory.Entry(missing: figures.missingFraction, std: nil)
            if checks.enabled { industry(name, values) }
            return
        case .other, .code:
            recorded[name] = FactorHistory.Entry(missing: figures.missingFraction, std: nil)
            return
        case .style, .weight:
            break
        }
        let labels = date.setting("factor", name)
        emit("factor_nonfinite_count", labels, Double(figures.infinities))
        let plain: [(String, Double?)] = [("factor_variance", figures.variance), ("factor_mean", figures.mean),
                                          ("factor_std", figures.std), ("factor_min", figures.min),
                                          ("factor_max", figures.max)]
        for case let (metric, value?) in plain { emit(metric, labels, value) }
        let constant = figures.isConstant(tolerance: checks.constantTolerance)
        emit("factor_constant", labels, constant ? 1 : 0)
        let previousValues = previousColumn(previous, name)
        defer {
            previous?.forget(name)
            priorDay?.forget(name)
        }
        if let previous, let previousValues {
            let corr = previous.partner.flatMap { partner in
                values.withUnsafeBufferPointer { x in
                    previousValues.withUnsafeBufferPointer { y in
                        partner.withUnsafeBufferPointer { pearson(x, y, partner: $0) }
                    }
                }
            }
            if let corr { emit("factor_day_over_day_corr", labels, corr) }
            if role == .style, !constant { compareFigures(figures, ColumnFigures(previousValues)) }
        }
        guard checks.enabled else { return }
        recorded[name] = FactorHistory.Entry(missing: figures.missingFraction, std: figures.std)
        if role == .weight { return }
        exposures(name, values, figures, labels)
        if checks.styleFactors?.contains(name) ?? true {
            styleValues[name] = values
            styleOrder.append(name)
            if constant { constantStyle.insert(name) }
        }
    }

    /// The checks of a style factor's exposures: drift, stability, and (where standardised) outliers and weights.
    private func exposures(_ name: String, _ values: [Double], _ figures: ColumnFigures, _ labels: Labels) {
        if let std = figures.std, let usual = history.median(name, over: historyDates, { $0.std }), usual > 0 {
            emit("factor_std_ratio", labels, std / usual)
        }
        let standardised = checks.isStandardised(figures)
        let before = priorDay?.partner == nil ? nil : previousColumn(priorDay, name)
        pending.append(ExposureWork(name: name, labels: labels, values: values, figures: figures, before: before,
                                    partner: priorDay?.partner, standardised: standardised,
                                    sigma: checks.outlierSigma))
        if pending.count == 2 { finishExposures() }
    }

    /// Runs the pending columns' costly checks side by side and reports them, column by column.
    func finishExposures() {
        let work = pending
        pending = []
        for (column, result) in zip(work, runInParallel(work)) {
            let labels = column.labels
            if let corr = result.rankCorrelation { emit("factor_rank_corr", labels, corr) }
            emit("factor_standardised", labels, column.standardised ? 1 : 0)
            guard column.standardised else { continue }
            if let outliers = result.outliers {
                let worst = outliers.worst.map { "\(rowName($0.row)) (\(formatDouble($0.z, format: "%.1f"))σ)" }
                let outlierLabels = worst.isEmpty ? labels : labels.annotating("worst", worst.joined(separator: ", "))
                emit("factor_outlier_fraction", outlierLabels, outliers.fraction)
            }
            if let std = column.figures.std { emit("factor_equal_weighted_std", labels, std) }
            if let weights, let mean = weightedMean(column.values, weights: weights) {
                emit("factor_cap_weighted_mean", labels, mean)
            }
        }
    }

    /// A previous file's column, or nil when it lacks it or cannot be read (then reported, and dropped).
    private func previousColumn(_ file: PreviousFile?, _ name: String) -> [Double]? {
        guard let file else { return nil }
        do {
            return try file.values(name)
        } catch {
            previousUnreadable(file.table.path, "\(error)")
            return nil
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
        if members == 0 { emptyIndustries.append(name) }
        emit("factor_industry_stocks", date.setting("industry", name), members)
    }

    /// The code of a row, or its number (0-based, in the file's own order) when the file has no codes.
    func rowName(_ row: Int) -> String {
        codes?.string(row) ?? "row \(row)"
    }

    /// What this file adds to the history.
    var historyEntries: [String: FactorHistory.Entry] { recorded }
}

/// A file before the latest one: its table, its rows joined to the latest file's on the stock code, and its
/// columns as read.
final class PreviousFile {
    let table: any FactorTable
    let date: LocalDate
    /// For each row of the latest file, the row of this one with the same code (codes unique in both), or -1;
    /// nil when the files cannot be joined (no codes).
    let partner: [Int32]?
    /// Its stocks per exchange and board, when both files have codes.
    let boardCounts: [String: Int]?
    private var cache: [String: [Double]] = [:]

    init(table: any FactorTable, date: LocalDate, partner: [Int32]?, boardCounts: [String: Int]?) {
        self.table = table
        self.date = date
        self.partner = partner
        self.boardCounts = boardCounts
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
