import Parquet

/// What a column of a factor file is to the checks.
enum FactorColumnRole: Equatable {
    /// A style factor: every statistic and check.
    case style
    /// An industry dummy: missing values and the industry group checks, nothing else.
    case industry
    /// The standardisation weights: statistics only.
    case weight
    /// A stock-code column.
    case code
    /// Anything else (integers such as `trade_date`, dates, text, excluded columns): missing values only.
    case other
}

/// Which columns of a file are style factors, industry dummies and so on.
///
/// Without `factors:`, a style factor is a floating-point column that is not excluded, not an industry dummy and
/// not a 0/1 flag (found when its values are read, `isDummy`). Integer, date, text and boolean columns are not
/// factors unless `include:` names them. `exclude:` and `include:` are globs on column names (`*`, `?`, `[...]`).
public struct FactorColumnSelection: Sendable, Equatable {
    public var factors: [String]?
    public var include: [String]
    public var exclude: [String]

    public init(factors: [String]? = nil, include: [String] = [], exclude: [String] = []) {
        self.factors = factors
        self.include = include
        self.exclude = exclude
    }

    func role(of column: ColumnDescriptor, codeColumns: [String], checks: FactorChecks) -> FactorColumnRole {
        if codeColumns.contains(column.name) { return .code }
        if column.isPandasIndex || !column.isNumeric || matches(exclude, column.name) { return .other }
        if column.name == checks.weightColumn { return .weight }
        if checks.isIndustry(column.name) { return .industry }
        if let factors { return factors.contains(column.name) ? .style : .other }
        if matches(include, column.name) { return .style }
        return column.isFloatingPoint ? .style : .other
    }

    private func matches(_ globs: [String], _ name: String) -> Bool {
        globs.contains { Glob.matchName(pattern: $0, name: name) }
    }
}

extension ColumnDescriptor {
    var isFloatingPoint: Bool { typeName == "double" || typeName == "float" || typeName == "halffloat" }
}

/// A 0/1 flag: both values present and nothing else but missing values. A column that is all 0 is not a flag:
/// it is a constant, which is what a failed calculation usually writes.
func isDummy(_ values: [Double]) -> Bool {
    var zeros = false, ones = false
    for value in values where !value.isNaN {
        if value == 0 {
            zeros = true
        } else if value == 1 {
            ones = true
        } else {
            return false
        }
    }
    return zeros && ones
}
