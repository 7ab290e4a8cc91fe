/// Reads one observation written as in the exposition format: `metric{a="1", b="x"} 2.5`.
/// Label values are double-quoted with `\"`, `\\` and `\n` escapes; the value may be `NaN`, `+Inf` or `-Inf`.
enum ExpositionLine {
    struct Failure: Error {
        var message: String
        /// Character offset into the line.
        var offset: Int
    }

    static func parse(_ text: String) throws(Failure) -> Observation {
        let chars = Array(text)
        var i = 0
        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        func isNameChar(_ c: Character, first: Bool) -> Bool {
            c == "_" || c == ":" || (c.isASCII && c.isLetter) || (!first && c.isASCII && c.isNumber)
        }
        func name(_ what: String) throws(Failure) -> String {
            let start = i
            while i < chars.count, isNameChar(chars[i], first: i == start) { i += 1 }
            guard i > start else { throw Failure(message: "expected \(what)", offset: i) }
            return String(chars[start..<i])
        }

        skipSpaces()
        let metric = try name("a metric name")
        var labels = Labels()
        skipSpaces()
        if i < chars.count, chars[i] == "{" {
            i += 1
            skipSpaces()
            while i < chars.count, chars[i] != "}" {
                let labelStart = i
                let label = try name("a label name")
                skipSpaces()
                guard i < chars.count, chars[i] == "=" else {
                    throw Failure(message: "expected = after \(label)", offset: i)
                }
                i += 1
                skipSpaces()
                guard i < chars.count, chars[i] == "\"" else {
                    throw Failure(message: "label values are double-quoted: \(label)=\"value\"", offset: i)
                }
                i += 1
                var value = ""
                while true {
                    guard i < chars.count else { throw Failure(message: "unterminated label value", offset: i) }
                    let c = chars[i]
                    i += 1
                    if c == "\"" { break }
                    if c == "\\", i < chars.count {
                        value.append(chars[i] == "n" ? "\n" : chars[i])
                        i += 1
                    } else {
                        value.append(c)
                    }
                }
                if labels[label] != nil { throw Failure(message: "label \(label) given twice", offset: labelStart) }
                labels[label] = value
                skipSpaces()
                if i < chars.count, chars[i] == "," {
                    i += 1
                    skipSpaces()
                } else if i < chars.count, chars[i] != "}" {
                    throw Failure(message: "expected , or } in the label set", offset: i)
                }
            }
            guard i < chars.count else { throw Failure(message: "unclosed {", offset: i) }
            i += 1
            skipSpaces()
        }
        let valueStart = i
        let rest = String(chars[i...]).trimmed()
        guard !rest.isEmpty else { throw Failure(message: "expected a value after \(metric)", offset: valueStart) }
        guard let value = number(rest) else {
            throw Failure(message: "\"\(rest)\" is not a number (write 2, 0.5, 1e-4, NaN, +Inf or -Inf)",
                          offset: valueStart)
        }
        return Observation(metric, labels, value)
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}
