extension TextfileExport {
    /// An exported name and the factor that takes an observation's value to it.
    public struct ExportedName: Sendable, Equatable {
        public var name: String
        public var scale: Double
    }

    /// The observations whose own names `promtool check metrics` would flag (a unit other than the base one,
    /// a `_count` suffix on a gauge), exported under lint-clean names; a calendar unit becomes seconds and the
    /// value is converted. Rules, `observe` and `eval` keep the observations' own names.
    public static let renamed: [String: ExportedName] = [
        "factor_file_age_days": ExportedName(name: "factor_file_age_seconds", scale: 86_400),
        "file_age_hours": ExportedName(name: "file_age_seconds", scale: 3_600),
        "trading_calendar_days_left": ExportedName(name: "trading_calendar_remaining_seconds", scale: 86_400),
        "factor_file_age_trading_days": ExportedName(name: "factor_file_age_trading_sessions", scale: 1),
        "risk_params_lag_trading_days": ExportedName(name: "risk_params_lag_trading_sessions", scale: 1),
        "factor_files_count": ExportedName(name: "factor_files_dated", scale: 1),
        "factor_files_future_count": ExportedName(name: "factor_files_future", scale: 1),
        "factor_nonfinite_count": ExportedName(name: "factor_nonfinite_values", scale: 1),
        "file_count": ExportedName(name: "file_matches", scale: 1),
    ]

    /// The exported name of an observation's metric, and the factor its value is multiplied by.
    public static func exported(_ metric: String) -> ExportedName {
        guard let known = renamed[metric] else { return ExportedName(name: metricName(metric), scale: 1) }
        return ExportedName(name: prefix + known.name, scale: known.scale)
    }
}
