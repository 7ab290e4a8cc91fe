import ByteRegex

/// Settings of the model-aware checks that `factor_quality` runs on the latest factor file (README, "Factor-file checks").
///
/// Thresholds that decide severity live in the rules; these settings only say what to measure: which columns a
/// file must have, what a stock code looks like, which columns are industry dummies, how exposures are weighted.
public struct FactorChecks: Sendable, Equatable {
    /// The ten CNE5 style factors.
    public static let cne5StyleFactors = [
        "size", "beta", "momentum", "residual_volatility", "non_linear_size", "book_to_price", "liquidity",
        "earnings_yield", "growth", "leverage",
    ]
    /// Six digits, a dot and the exchange: Shanghai, Shenzhen or Beijing.
    public static let defaultCodePattern = #"^\d{6}\.(SH|SZ|BJ)$"#

    /// False turns every check off, leaving the plain statistics.
    public var enabled: Bool
    /// Columns every file must have; nil for the contract learned from the first good file.
    public var required: [String]?
    /// The style factors of the collinearity checks; nil for every discovered style factor.
    public var styleFactors: [String]?
    /// Regular expression every stock code must match as a whole.
    public var codePattern: String
    /// A column is constant when its standard deviation over its mean absolute value is below this.
    public var constantTolerance: Double
    /// Columns whose name starts with this are industry dummies (0/1 membership), checked as one group.
    public var industryPrefix: String
    /// Robust z-score beyond which a value is an outlier.
    public var outlierSigma: Double
    /// How many previous files the missing-value and dispersion medians look back over.
    public var history: Int
    /// Whether exposures are z-scored: true or false as configured, nil to detect it per factor (mean near 0,
    /// standard deviation near 1). Outliers and the standardisation figures are reported only where it holds.
    public var standardised: Bool?
    /// The column of standardisation weights (market cap); nil for exp(size).
    public var weightColumn: String?

    public init(enabled: Bool = true, required: [String]? = nil, styleFactors: [String]? = nil,
                codePattern: String = defaultCodePattern, constantTolerance: Double = 1e-6,
                industryPrefix: String = "ind_", outlierSigma: Double = 3, history: Int = 20,
                standardised: Bool? = nil, weightColumn: String? = nil) {
        self.enabled = enabled
        self.required = required
        self.styleFactors = styleFactors
        self.codePattern = codePattern
        self.constantTolerance = constantTolerance
        self.industryPrefix = industryPrefix
        self.outlierSigma = outlierSigma
        self.history = history
        self.standardised = standardised
        self.weightColumn = weightColumn
    }

    public static let disabled = FactorChecks(enabled: false)

    func isIndustry(_ column: String) -> Bool {
        !industryPrefix.isEmpty && column.hasPrefix(industryPrefix)
    }

    /// Whether a factor with these figures counts as standardised (z-scored).
    func isStandardised(_ figures: ColumnFigures) -> Bool {
        if let standardised { return standardised }
        guard let mean = figures.mean, let std = figures.std else { return false }
        return Swift.abs(mean) <= 0.25 && std >= 0.75 && std <= 1.33
    }

    /// A matcher for the configured pattern; the default pattern is matched byte by byte, which costs far less
    /// than running a regular expression on every code of the file.
    func codeMatcher() throws -> CodeMatcher {
        if codePattern == Self.defaultCodePattern { return .standard }
        return .custom(try ByteRegex(codePattern, wholeMatch: true))
    }
}

/// Whether a stock code has the expected form.
enum CodeMatcher {
    case standard
    case custom(ByteRegex)

    func matches(_ code: String) -> Bool {
        switch self {
        case .standard:
            let utf8 = code.utf8
            return utf8.withContiguousStorageIfAvailable(Self.isStandard) ?? Self.isStandard(Array(utf8))
        case .custom(let regex):
            return regex.matches(code)
        }
    }

    func matches(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .standard: Self.isStandard(code)
        case .custom(let regex): regex.matches(bytes: UnsafeRawBufferPointer(code))
        }
    }

    private static func isStandard(_ bytes: some RandomAccessCollection<UInt8>) -> Bool {
        guard bytes.count == 9 else { return false }
        var index = bytes.startIndex
        for _ in 0..<6 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return false }
            index = bytes.index(after: index)
        }
        guard bytes[index] == UInt8(ascii: ".") else { return false }
        let first = bytes[bytes.index(after: index)], second = bytes[bytes.index(index, offsetBy: 2)]
        switch (first, second) {
        case (UInt8(ascii: "S"), UInt8(ascii: "H")), (UInt8(ascii: "S"), UInt8(ascii: "Z")),
             (UInt8(ascii: "B"), UInt8(ascii: "J")):
            return true
        default:
            return false
        }
    }
}
