public enum FactorWatchVersion {
    public static let current = "0.1.0"
}
