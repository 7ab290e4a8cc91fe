/// One `input_series` entry of a promtool test file: a series and its samples, one per `interval` from time 0.
struct PromtoolSeries: Sendable {
    /// What is at one sample position: a value, nothing (`_`), or a staleness marker (`stale`).
    enum Point: Sendable, Equatable {
        case value(Double)
        case missing
        case stale
    }

    var metric: String
    var labels: Labels
    var points: [Point]

    /// How far back an instant selector looks for a sample (Prometheus' default lookback delta).
    static let lookback: Double = 300

    /// The sample visible at `time` (seconds from the first sample) with samples `interval` apart: the latest one
    /// at or before `time`, if it is not older than the lookback and not a staleness marker.
    func value(at time: Double, interval: Double) -> Double? {
        guard interval > 0, time >= 0 else { return nil }
        var position = min(Int((time / interval).rounded(.down)), points.count - 1)
        while position >= 0 {
            let age = time - Double(position) * interval
            if age > Self.lookback { return nil }
            switch points[position] {
            case .value(let value): return value
            case .stale: return nil
            case .missing: position -= 1
            }
        }
        return nil
    }

    struct Failure: Error {
        var message: String
        var offset: Int
    }

    /// The expanding notation: `a`, `a+bxN` (a, then N more each b greater), `a-bxN`, `axN` (N + 1 times a),
    /// `_`, `_xN` (N missing), `stale`; numbers may be written `1e3`, `NaN`, `Inf`, `+Inf` or `-Inf`.
    static func points(_ text: String) throws(Failure) -> [Point] {
        var points: [Point] = []
        var offset = 0
        for token in text.split(separator: " ", omittingEmptySubsequences: false) {
            defer { offset += token.count + 1 }
            guard !token.isEmpty else { continue }
            guard let expanded = expand(String(token)) else {
                throw Failure(message: "\"\(token)\" is not a value, _, stale, a+bxN or a-bxN", offset: offset)
            }
            points += expanded
        }
        return points
    }

    private static func expand(_ token: String) -> [Point]? {
        if token == "_" { return [.missing] }
        if token == "stale" { return [.stale] }
        guard let x = token.lastIndex(of: "x"), x != token.startIndex,
              let count = Int(token[token.index(after: x)...]), count >= 0 else {
            return number(token).map { [.value($0)] }
        }
        let head = String(token[..<x])
        if head == "_" { return Array(repeating: .missing, count: count) }
        let (start, step) = split(head)
        guard let first = number(start) else { return nil }
        guard let step else { return Array(repeating: .value(first), count: count + 1) }
        guard let increment = number(step) else { return nil }
        // Repeated addition, as Prometheus expands it, so rounding agrees with promtool's.
        var current = first
        var out: [Point] = [.value(current)]
        for _ in 0..<count {
            current += increment
            out.append(.value(current))
        }
        return out
    }

    /// `a+b` or `a-b` into `a` and the signed `b`; a sign at the start or after an exponent's `e` is the
    /// number's own.
    private static func split(_ text: String) -> (String, String?) {
        let chars = Array(text)
        for i in chars.indices.dropFirst() where chars[i] == "+" || chars[i] == "-" {
            if chars[i - 1] == "e" || chars[i - 1] == "E" { continue }
            return (String(chars[..<i]), String(chars[i...]))
        }
        return (text, nil)
    }

    private static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        default:
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }
}
