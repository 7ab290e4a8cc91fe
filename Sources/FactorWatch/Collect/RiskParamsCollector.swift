/// Checks the risk-parameter file (`risk_params_latest.json`) that the monthly recalculation writes: it must
/// parse, hold a square, symmetric, finite, positive-definite factor covariance matrix, and be dated no more than
/// a trading day behind the latest factor file.
///
/// Accepted shapes (README, "Factor-file checks"): `{"date": "2026-11-20", "factors": [...], "covariance": [[...], ...]}`, or
/// `{"date": "20261120", "factor_covariance": {"size": {"size": 0.1, "beta": 0.02, ...}, ...}}`; the date may be
/// under any of `RiskParamsDocument.dateKeys` (`estimation_date`, `as_of`, `trade_date`, ...), a string
/// `YYYY-MM-DD`/`YYYYMMDD` (a time after it is ignored) or the number YYYYMMDD.
///
/// Emits, with `path` as configured:
/// - `risk_params_valid{path}` 1, or 0 with a `problem` label (unreadable, not JSON, no matrix, not square, not
///   symmetric, not finite, bad date);
/// - `risk_params_factors{path}`: the matrix's size;
/// - `risk_params_positive_definite{path}` 1/0 (Cholesky), for a square, symmetric, finite matrix;
/// - `risk_params_lag_trading_days{path,date}`: trading days after the file's date up to and including the latest
///   factor file's date (with `factors_dir`), else up to the last trading day before today.
public struct RiskParamsCollector: Collector {
    public var name: String { "risk_params" }
    public let path: String
    public let label: String
    public let factorsDir: String?
    public let pattern: String

    public init(path: String, label: String? = nil, factorsDir: String? = nil, pattern: String = FactorFilesCollector.Pattern.defaultText) {
        self.path = path
        self.label = label ?? path
        self.factorsDir = factorsDir
        self.pattern = pattern
    }

    public var metricNames: [String] {
        ["risk_params_valid", "risk_params_factors", "risk_params_positive_definite", "risk_params_lag_trading_days"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let labels: Labels = ["path": label]
        let document: RiskParamsDocument
        do {
            document = try RiskParamsDocument(bytes: try FileSystem.contents(path))
        } catch let failure as FileSystem.Failure {
            return [Observation("risk_params_valid", labels.setting("problem", "cannot read: \(failure.reason)"), 0)]
        } catch {
            return [Observation("risk_params_valid", labels.setting("problem", "\(error)"), 0)]
        }
        var observations = [Observation("risk_params_factors", labels, document.matrix.size)]
        if let problem = document.matrixProblem ?? document.dateProblem {
            observations.append(Observation("risk_params_valid", labels.setting("problem", problem), 0))
        } else {
            observations.append(Observation("risk_params_valid", labels, 1))
        }
        if document.matrixProblem == nil {
            observations.append(Observation("risk_params_positive_definite", labels,
                                            document.matrix.cholesky() == nil ? 0 : 1))
        }
        if let date = document.date {
            let reference = try referenceDay(context)
            let lag = context.calendar.tradingDays(after: date, before: reference.adding(days: 1))
            observations.append(Observation("risk_params_lag_trading_days", labels.setting("date", date.yyyymmdd), lag))
        }
        return observations
    }

    /// The latest factor file's date, or the last trading day before today without a factor directory.
    private func referenceDay(_ context: CollectionContext) throws -> LocalDate {
        if let factorsDir {
            let files = FactorFilesCollector(dir: factorsDir, pattern: pattern)
            if let latest = try files.datedFiles(notAfter: context.today).last { return latest.date }
        }
        return context.calendar.previousTradingDay(before: context.today)
    }
}

/// What the risk-parameter file says, and the first thing wrong with it.
struct RiskParamsDocument {
    var date: LocalDate?
    var factors: [String] = []
    var matrix = SquareMatrix(size: 0, values: [])
    /// Why the matrix cannot be used (not square, asymmetric, non-finite); nil when it can.
    var matrixProblem: String?
    var dateProblem: String?

    /// The keys a date is read from, first found wins (Leana's `risk_params_latest.json` writes `estimation_date`).
    static let dateKeys = ["date", "as_of", "as_of_date", "asof", "trade_date", "estimation_date", "estimate_date",
                           "calc_date", "calculation_date", "end_date", "cal_date", "valuation_date"]

    /// `2026-11-20`, `20261120`, or either followed by a time (`2026-11-20T02:41:07`, `2026-11-20 02:41:07`).
    static func leadingDate(_ text: String) -> LocalDate? {
        let trimmed = text.trimmed()
        if let date = LocalDate(trimmed) { return date }
        guard let cut = trimmed.firstIndex(where: { $0 == "T" || $0 == " " }) else { return nil }
        return LocalDate(trimmed[..<cut])
    }

    init(bytes: [UInt8]) throws {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw RiskParamsProblem("not valid JSON at \(error)")
        }
        guard case .object = root else { throw RiskParamsProblem("the document is not a JSON object") }
        let dateKey = RiskParamsDocument.dateKeys.first { root[$0] != nil }
        let dateValue = dateKey.flatMap { root[$0] }
        switch dateValue {
        case .string(let text)?: date = RiskParamsDocument.leadingDate(text)
        case .number(let number)? where number == number.rounded(): date = LocalDate(String(Int(number)))
        default: date = nil
        }
        if date == nil {
            dateProblem = dateKey.map { "\($0) is not YYYY-MM-DD or YYYYMMDD (optionally followed by a time)" }
                ?? "no date (one of " + RiskParamsDocument.dateKeys.joined(separator: ", ") + ")"
        }
        if case .array(let names)? = root["factors"] {
            factors = names.map { if case .string(let name) = $0 { name } else { "?" } }
        }
        guard let covariance = root["covariance"] ?? root["factor_covariance"] ?? root["cov"] else {
            throw RiskParamsProblem("no covariance matrix (covariance or factor_covariance)")
        }
        let rows: [[Double]]
        switch covariance {
        case .array(let items):
            rows = items.map { row in
                guard case .array(let cells) = row else { return [] }
                return cells.map { if case .number(let x) = $0 { x } else { .nan } }
            }
            if !factors.isEmpty && factors.count != rows.count {
                record("\(factors.count) factors named but the matrix has \(rows.count) rows")
            }
        case .object(let members):
            factors = members.map(\.key)
            rows = members.map { member in
                factors.map { column in if case .number(let x)? = member.value[column] { x } else { .nan } }
            }
        default:
            throw RiskParamsProblem("the covariance is neither a list of rows nor a mapping of factors")
        }
        let n = rows.count
        if let bad = rows.firstIndex(where: { $0.count != n }) {
            record("the covariance matrix is not square: \(n) rows, row \(bad + 1) has \(rows[bad].count) values")
            return
        }
        matrix = SquareMatrix(size: n, values: rows.flatMap { $0 })
        if n == 0 { record("the covariance matrix is empty") }
        if let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
            record("the covariance matrix has a non-finite or missing value at row \(bad / n + 1), "
                   + "column \(bad % n + 1)\(factors.count == n ? " (\(factors[bad / n]), \(factors[bad % n]))" : "")")
        } else if matrix.asymmetry > 1e-8 {
            record("the covariance matrix is not symmetric (relative difference \(formatValue(matrix.asymmetry)))")
        }
    }

    private mutating func record(_ message: String) {
        if matrixProblem == nil { matrixProblem = message }
    }
}

struct RiskParamsProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
