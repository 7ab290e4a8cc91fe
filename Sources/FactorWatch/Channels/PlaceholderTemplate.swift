/// The few placeholders channel settings may use in `form` values and body templates: `{{ .Summary }}`,
/// `{{ .Subject }}` and `{{ .Body }}`. Kept apart so a fuller template language can replace it in one place.
struct PlaceholderTemplate: Sendable {
    var text: String

    init(_ text: String) { self.text = text }

    /// The values a template sees, made once per digest.
    struct Values: Sendable {
        var summary: String
        var subject: String
        var body: String
    }

    /// Replaces each known placeholder (white space inside the braces is free); anything else is kept as written.
    func render(_ values: Values) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmed()
            switch name {
            case ".Summary": output += values.summary
            case ".Subject": output += values.subject
            case ".Body": output += values.body
            default: output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    /// The digest as one line (an SMS): a single alert's line, or the subject followed by each alert's line.
    static func summary(of digest: Digest) -> String {
        let lines = digest.alerts.map(DigestFormatter.line)
        if lines.count == 1 { return lines[0] }
        return DigestFormatter.subject(digest) + ": " + lines.joined(separator: "; ")
    }

    static func values(for digest: Digest, zone: TimeZoneRules) -> Values {
        Values(
            summary: summary(of: digest), subject: DigestFormatter.subject(digest),
            body: DigestFormatter.body(digest, zone: zone))
    }
}
