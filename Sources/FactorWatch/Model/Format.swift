#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `printf`-style formatting of one number, without Foundation.
public func formatDouble(_ value: Double, format: String) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let written = withVaList([value]) { arguments in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 64, format, arguments) }
    }
    if written >= 64 {
        buffer = [CChar](repeating: 0, count: Int(written) + 1)
        _ = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
        }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `1h30m`, `45s`, `2d` — the form durations are written in configuration.
public func formatDuration(seconds: Double) -> String {
    var remaining = Int64(seconds.rounded())
    if remaining == 0 { return "0s" }
    var parts = ""
    let units: [(Int64, String)] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")]
    for (size, suffix) in units where remaining >= size {
        parts += "\(remaining / size)\(suffix)"
        remaining %= size
    }
    return parts
}

extension StringProtocol {
    /// Without leading and trailing white space.
    public func trimmed() -> String {
        // Printable ASCII at both ends (the usual case): nothing to trim, no character walk.
        let whole = String(self)
        if let first = whole.utf8.first, let last = whole.utf8.last, first > 0x20, first < 0x7F, last > 0x20,
           last < 0x7F {
            return whole
        }
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}

func getHome() -> String? {
    getenv("HOME").map { String(cString: $0) }
}

/// `&`, `<`, `>` and quotes made safe for HTML text and attributes.
func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}
