/// A password, token or signing key. It prints as `<redacted>` everywhere (descriptions, interpolation, dumps) so it
/// cannot leak into logs, dry-run output or error messages by accident; `reveal()` is the one way to read it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) { self.value = value }

    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// Replaces every occurrence of the given secret strings in a text meant for people.
func redacting(_ text: String, _ secrets: [String]) -> String {
    var result = text
    // Longest first, so a secret that contains another is replaced whole.
    for secret in secrets.filter({ $0.count >= 3 }).sorted(by: { $0.count > $1.count }) {
        result = result.replacing(secret, with: "<redacted>")
    }
    return result
}

/// `https://host:port/…`: enough to say where a request went without the path or query, which often hold tokens.
func redactedURL(_ url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return "<redacted url>" }
    let afterScheme = url[schemeEnd.upperBound...]
    let fullAuthority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let rest = afterScheme.dropFirst(fullAuthority.count)
    // User information (`user:token@`) is dropped too.
    let authority =
        fullAuthority.lastIndex(of: "@").map { fullAuthority[fullAuthority.index(after: $0)...] }
        ?? fullAuthority
    let tail = rest.isEmpty || rest == "/" ? String(rest) : "/…"
    return url[..<schemeEnd.upperBound] + authority + tail
}
