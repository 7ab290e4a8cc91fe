import Parquet

/// Sanity of the stock-specific risks a risk model writes (a Parquet or CSV file with one row per stock, e.g.
/// `specific_risks.parquet` with `ts_code, specific_risk`). Estimators clip them to a band; when most stocks sit
/// at a bound the estimate failed (too short a residual history, or residuals missing) and the clip hides it.
///
/// Emits, with `path` as configured:
/// - `specific_risk_stocks{path}`: rows with a finite value;
/// - `specific_risk_missing_fraction{path}`: null, NaN or infinite values over rows;
/// - `specific_risk_at_bound_fraction{path,bound,limit}`: the share of finite values at the lower or upper clip
///   bound (within 1e-9 relative).
/// An unreadable file, or one without the column, is a collector failure.
public struct FactorSpecificRiskCollector: Collector {
    public var name: String { "specific_risk" }
    public let path: String
    public let label: String
    public let column: String
    public let clip: ClosedRange<Double>

    public init(path: String, label: String? = nil, column: String = "specific_risk",
                clip: ClosedRange<Double> = 0.01...0.10) {
        self.path = path
        self.label = label ?? path
        self.column = column
        self.clip = clip
    }

    public var metricNames: [String] {
        ["specific_risk_stocks", "specific_risk_missing_fraction", "specific_risk_at_bound_fraction"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let values: [Double]
        do {
            let table = try openFactorTable(path: path)
            guard table.column(named: column)?.isNumeric == true else {
                throw CollectorFailure("\(path) has no numeric column \(column)")
            }
            values = try table.readDoubles(column: column)
        } catch let failure as CollectorFailure {
            throw failure
        } catch {
            throw CollectorFailure("\(error)")
        }
        let finite = values.filter(\.isFinite)
        let labels: Labels = ["path": label]
        var observations = [
            Observation("specific_risk_stocks", labels, finite.count),
            Observation("specific_risk_missing_fraction", labels,
                        values.isEmpty ? 0 : Double(values.count - finite.count) / Double(values.count)),
        ]
        for (bound, limit) in [("lower", clip.lowerBound), ("upper", clip.upperBound)] {
            let at = finite.reduce(0) { $0 + (Swift.abs($1 - limit) <= 1e-9 * Swift.max(1, Swift.abs(limit)) ? 1 : 0) }
            observations.append(Observation(
                "specific_risk_at_bound_fraction",
                labels.setting("bound", bound).setting("limit", formatValue(limit)),
                finite.isEmpty ? 0 : Double(at) / Double(finite.count)))
        }
        return observations
    }
}
