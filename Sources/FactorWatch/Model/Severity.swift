/// How urgent an alert is. Ordered: `low < medium < high < critical`.
public enum Severity: String, CaseIterable, Codable, Comparable, Sendable {
    case low, medium, high, critical

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    /// The valid spellings, for error messages.
    public static let names = Severity.allCases.reversed().map(\.rawValue)
}
