import Parquet

/// Reads the latest factor file (and the one before it) and reports its quality: rows, missing values, the
/// dispersion of every factor, infinities, duplicate stock codes and day-over-day stability.
///
/// Emits, each with the latest file's `date`:
/// - `factor_rows`, `factor_columns`, `factor_rows_change_fraction` (against the previous file);
/// - `factor_missing_fraction{column}` for every column (nulls + NaN over rows, as pandas `isnull().mean()`);
/// - `factor_variance`, `factor_mean`, `factor_std`, `factor_min`, `factor_max`, `factor_nonfinite_count`
///   `{factor}` over the finite values of each numeric factor column;
/// - `factor_duplicate_codes` and `factor_day_over_day_corr{factor}` (Pearson, joined on the code column) when
///   the file has the code column.
/// An unreadable file is a collector failure whose message is the reader's own (file, column, byte offset).
public struct FactorQualityCollector: Collector {
    public var name: String { "factor_quality" }
    public let files: FactorFilesCollector
    public let codeColumn: String
    /// The factor columns to report; nil for every numeric column but the code and pandas' index.
    public let factors: [String]?

    public init(dir: String, pattern: String = "%Y%m%d.parquet", codeColumn: String = "ts_code",
                factors: [String]? = nil) {
        files = FactorFilesCollector(dir: dir, pattern: pattern)
        self.codeColumn = codeColumn
        self.factors = factors
    }

    public var metricNames: [String] {
        ["factor_rows", "factor_columns", "factor_rows_change_fraction", "factor_missing_fraction", "factor_variance",
         "factor_mean", "factor_std", "factor_min", "factor_max", "factor_nonfinite_count", "factor_duplicate_codes",
         "factor_day_over_day_corr"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let dated = try files.datedFiles(notAfter: context.today)
        guard let latest = dated.last else { return [] }
        let date: Labels = ["date": latest.date.yyyymmdd]
        let table: any FactorTable
        do {
            table = try openFactorTable(path: latest.path)
        } catch {
            throw CollectorFailure("\(error)")
        }
        var observations: [Observation] = []
        var codes: CodeIndex?
        do {
            observations = try quality(of: table, date: date)
            if table.column(named: codeColumn) != nil {
                codes = CodeIndex(try table.readStrings(column: codeColumn))
                observations.append(Observation("factor_duplicate_codes", date, codes!.duplicates.count))
            }
        } catch {
            throw CollectorFailure("\(error)", observations: observations)
        }
        guard dated.count >= 2 else { return observations }
        let previousPath = dated[dated.count - 2].path
        do {
            let previous = try openFactorTable(path: previousPath)
            if previous.rowCount > 0 {
                observations.append(Observation("factor_rows_change_fraction", date,
                                                Double(table.rowCount - previous.rowCount) / Double(previous.rowCount)))
            }
            if let codes { observations += try stability(table, codes: codes, against: previous, date: date) }
        } catch {
            throw CollectorFailure("previous file: \(error)", observations: observations)
        }
        return observations
    }

    func factorColumns(of table: any FactorTable) -> [String] {
        if let factors { return factors.filter { table.column(named: $0) != nil } }
        return table.columns.filter { $0.isNumeric && !$0.isPandasIndex && $0.name != codeColumn }.map(\.name)
    }

    private func quality(of table: any FactorTable, date: Labels) throws -> [Observation] {
        var observations = [
            Observation("factor_rows", date, table.rowCount),
            Observation("factor_columns", date, table.columns.count),
        ]
        let factorNames = Set(factorColumns(of: table))
        for stats in try table.statistics(columns: nil) where !(table.column(named: stats.name)?.isPandasIndex ?? false) {
            observations.append(Observation("factor_missing_fraction", date.setting("column", stats.name),
                                            stats.nullFraction))
            guard factorNames.contains(stats.name) else { continue }
            let labels = date.setting("factor", stats.name)
            observations.append(Observation("factor_nonfinite_count", labels, stats.infinities))
            let figures: [(String, Double?)] = [("factor_variance", stats.variance), ("factor_mean", stats.mean),
                                                 ("factor_std", stats.std), ("factor_min", stats.min),
                                                 ("factor_max", stats.max)]
            for (metric, value) in figures {
                if let value { observations.append(Observation(metric, labels, value)) }
            }
        }
        if factors != nil {
            for missing in factors!.filter({ table.column(named: $0) == nil }) {
                observations.append(Observation("factor_missing_fraction", date.setting("column", missing), 1))
            }
        }
        return observations
    }

    private func stability(_ table: any FactorTable, codes: CodeIndex, against previous: any FactorTable,
                           date: Labels) throws -> [Observation] {
        guard previous.column(named: codeColumn) != nil else { return [] }
        let before = CodeIndex(try previous.readStrings(column: codeColumn))
        // Row pairs (today, previous) for codes that are unique in both files.
        var pairs: [(Int, Int)] = []
        for (code, row) in codes.firstRow where !codes.duplicates.contains(code) && !before.duplicates.contains(code) {
            if let other = before.firstRow[code] { pairs.append((row, other)) }
        }
        pairs.sort { $0.0 < $1.0 }
        var observations: [Observation] = []
        let shared = Set(previous.columns.map(\.name))
        for factor in factorColumns(of: table) where shared.contains(factor) {
            guard previous.column(named: factor)?.isNumeric == true else { continue }
            let today = try table.readDoubles(column: factor)
            let yesterday = try previous.readDoubles(column: factor)
            if let corr = pearson(pairs.lazy.map { (today[$0.0], yesterday[$0.1]) }) {
                observations.append(Observation("factor_day_over_day_corr", date.setting("factor", factor), corr))
            }
        }
        return observations
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
