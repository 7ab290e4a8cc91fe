/// Typed reads for decoders. Each throws a `YAMLError` at this node's mark when the node is not what is asked for.
extension YAMLNode {
    /// The scalar's text and style, or nil for collections.
    public var scalar: (text: String, style: ScalarStyle)? {
        if case .scalar(let text, let style) = kind { return (text, style) }
        return nil
    }

    /// A plain scalar that the core schema reads as null: empty, `~`, `null`, `Null`, `NULL`.
    public var isNull: Bool {
        guard let (text, style) = scalar, style == .plain, !hasStringTag else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// Quoted, block, or tagged `!!str`: always a string, never a number or boolean.
    var isTypedAsString: Bool {
        guard let (_, style) = scalar else { return false }
        return style != .plain || hasStringTag
    }

    private var hasStringTag: Bool { tag == "tag:yaml.org,2002:str" || tag == "!" }

    /// What the node is, for "expected X, found Y" messages.
    public var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, _):
            if isNull { return "null" }
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            return isTypedAsString ? "the string \"\(shown)\"" : "\"\(shown)\""
        }
    }

    /// Any scalar except null; numbers and booleans are returned as written.
    public func string() throws(YAMLError) -> String {
        guard let (text, _) = scalar, !isNull else { throw error("expected a string, found \(kindDescription)") }
        return text
    }

    /// A plain integer: `42`, `-7`, `0x1F`, `0o17`.
    public func int() throws(YAMLError) -> Int {
        guard let (text, _) = scalar, !isTypedAsString, !isNull, let value = YAMLNode.integer(text) else {
            throw error("expected an integer, found \(kindDescription)" + quoteHint)
        }
        return value
    }

    /// A plain number: `1`, `-2.5`, `1e-3`, `.inf`, `-.inf`, `.nan`.
    public func double() throws(YAMLError) -> Double {
        guard let (text, _) = scalar, !isTypedAsString, !isNull else {
            throw error("expected a number, found \(kindDescription)" + quoteHint)
        }
        if let value = YAMLNode.integer(text) { return Double(value) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let allowed = Set("0123456789+-.eE")
        guard text.contains(where: \.isNumber), text.allSatisfy({ allowed.contains($0) }), let value = Double(text)
        else {
            throw error("expected a number, found \(kindDescription)")
        }
        return value
    }

    /// `true` or `false` (also `True`/`TRUE`/`False`/`FALSE`); `yes`, `no`, `on`, `off` are refused with a hint.
    public func bool() throws(YAMLError) -> Bool {
        if let (text, _) = scalar, !isTypedAsString {
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            case "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
                throw error("expected true or false, found \"\(text)\" (write true)")
            case "no", "No", "NO", "off", "Off", "OFF", "n", "N":
                throw error("expected true or false, found \"\(text)\" (write false)")
            default: break
            }
        }
        throw error("expected true or false, found \(kindDescription)" + quoteHint)
    }

    /// The items of a list. Null (an empty value) reads as an empty list.
    public func sequence() throws(YAMLError) -> [YAMLNode] {
        if isNull { return [] }
        guard case .sequence(let items) = kind else { throw error("expected a list, found \(kindDescription)") }
        return items
    }

    /// A list of strings; a single scalar is taken as a list of one (`channels: email`).
    public func strings() throws(YAMLError) -> [String] {
        if case .scalar = kind { return [try string()] }
        var result: [String] = []
        for item in try sequence() { result.append(try item.string()) }
        return result
    }

    /// A string that must be one of `allowed`; otherwise an error naming them, with a suggestion when one is close.
    public func oneOf(_ allowed: [String]) throws(YAMLError) -> String {
        let text = try string()
        guard allowed.contains(text) else {
            if let near = Suggestion.closest(to: text, among: allowed) {
                throw error("unknown value \"\(text)\", did you mean \"\(near)\"? (expected one of "
                    + allowed.joined(separator: ", ") + ")")
            }
            throw error("unknown value \"\(text)\" (expected one of " + allowed.joined(separator: ", ") + ")")
        }
        return text
    }

    private var quoteHint: String {
        isTypedAsString && scalar.map({ YAMLNode.integer($0.text) != nil || Double($0.text) != nil }) == true
            ? " (remove the quotes to give a number)" : ""
    }

    static func integer(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let radix: Int
        if body.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if body.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else {
            radix = 10
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isHexDigit }),
              let magnitude = Int(body, radix: radix)
        else { return nil }
        return negative ? -magnitude : magnitude
    }
}
