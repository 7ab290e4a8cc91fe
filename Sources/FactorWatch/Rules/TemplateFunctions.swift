/// Functions a template may call, named as in Prometheus alert templates.
enum TemplateFunction: String, Sendable, CaseIterable {
    case printf, humanize, humanize1024, humanizePercentage, humanizeDuration, toUpper, toLower, title, index

    /// The allowed argument counts (a piped value counts as the last argument).
    var arity: ClosedRange<Int> {
        switch self {
        case .printf: return 1...Int.max
        case .index: return 2...2
        default: return 1...1
        }
    }

    func apply(_ arguments: [TemplateValue]) -> TemplateValue {
        switch self {
        case .printf:
            guard case .string(let format)? = arguments.first else { return .string("") }
            return .string(TemplatePrintf.format(format, Array(arguments.dropFirst())))
        case .humanize: return .string(Self.numeric(arguments[0], Self.humanize))
        case .humanize1024: return .string(Self.numeric(arguments[0], Self.humanize1024))
        case .humanizePercentage:
            return .string(Self.numeric(arguments[0]) { formatDouble($0 * 100, format: "%.4g") + "%" })
        case .humanizeDuration: return .string(Self.numeric(arguments[0], Self.humanizeDuration))
        case .toUpper: return .string(arguments[0].text.uppercased())
        case .toLower: return .string(arguments[0].text.lowercased())
        case .title:
            return .string(arguments[0].text.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
        case .index:
            guard case .labels(let labels) = arguments[0] else { return .string("") }
            return .string(labels[arguments[1].text] ?? "")
        }
    }

    private static func numeric(_ value: TemplateValue, _ body: (Double) -> String) -> String {
        guard let number = value.number else { return value.text }
        return body(number)
    }

    /// SI prefixes: 1234567 → "1.235M", 0.0012 → "1.2m".
    static func humanize(_ value: Double) -> String {
        if value == 0 || !value.isFinite { return formatDouble(value, format: "%.4g") }
        var scaled = value
        if Swift.abs(value) >= 1 {
            var prefix = ""
            for next in ["k", "M", "G", "T", "P", "E", "Z", "Y"] where Swift.abs(scaled) >= 1000 {
                scaled /= 1000
                prefix = next
            }
            return formatDouble(scaled, format: "%.4g") + prefix
        }
        var prefix = ""
        for next in ["m", "u", "n", "p", "f", "a", "z", "y"] where Swift.abs(scaled) < 1 {
            scaled *= 1000
            prefix = next
        }
        return formatDouble(scaled, format: "%.4g") + prefix
    }

    /// Binary prefixes: 1536 → "1.5Ki".
    static func humanize1024(_ value: Double) -> String {
        if Swift.abs(value) < 1024 || !value.isFinite { return formatDouble(value, format: "%.4g") }
        var scaled = value
        var prefix = ""
        for next in ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] where Swift.abs(scaled) >= 1024 {
            scaled /= 1024
            prefix = next
        }
        return formatDouble(scaled, format: "%.4g") + prefix
    }

    /// Seconds as `1d 2h 3m 4s`; below a second in ms/us/ns.
    static func humanizeDuration(_ value: Double) -> String {
        if !value.isFinite { return formatDouble(value, format: "%.4g") }
        if value == 0 { return "0s" }
        let sign = value < 0 ? "-" : ""
        let seconds = Swift.abs(value)
        if seconds < 1 {
            for (scale, unit) in [(1e3, "ms"), (1e6, "us"), (1e9, "ns")] where seconds * scale >= 1 || unit == "ns" {
                return sign + formatDouble(seconds * scale, format: "%.4g") + unit
            }
        }
        let whole = Int64(seconds)
        let days = whole / 86_400, hours = whole / 3_600 % 24, minutes = whole / 60 % 60
        let rest = seconds - Double(whole - whole % 60)
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 { parts.append("\(minutes)m") }
        if rest > 0 || parts.isEmpty { parts.append(formatDouble(rest, format: "%.4g") + "s") }
        return sign + parts.joined(separator: " ")
    }
}

/// Go's `printf` for the verbs templates use: %f %e %g (and capitals), %d, %s, %v, %q, %x, %%.
enum TemplatePrintf {
    static let verbs: Set<Character> = ["f", "F", "e", "E", "g", "G", "d", "s", "v", "q", "x", "X"]

    /// One `%[flags][width][.precision]verb` directive.
    struct Directive {
        var spec: String
        var flags: String
        var verb: Character
        var width: Int
        var leftAlign: Bool { flags.contains("-") }
    }

    /// Splits a format into literal text and directives; `nil` for a `%` without a known verb.
    static func parse(_ format: String) -> [Either]? {
        var pieces: [Either] = []
        var literal = ""
        var characters = format[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                literal.append(character)
                continue
            }
            if characters.first == "%" {
                characters.removeFirst()
                literal.append("%")
                continue
            }
            var flags = ""
            while let flag = characters.first, "-+ #0".contains(flag) { flags.append(characters.removeFirst()) }
            var spec = "%" + flags
            var widthText = ""
            while let digit = characters.first, digit.isNumber { widthText.append(characters.removeFirst()) }
            spec += widthText
            if characters.first == "." {
                spec.append(characters.removeFirst())
                while let digit = characters.first, digit.isNumber { spec.append(characters.removeFirst()) }
            }
            guard let verb = characters.popFirst(), verbs.contains(verb) else { return nil }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            pieces.append(.directive(Directive(spec: spec, flags: flags, verb: verb, width: Int(widthText) ?? 0)))
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    enum Either {
        case literal(String)
        case directive(Directive)
    }

    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        guard let pieces = parse(format) else { return format }
        var output = ""
        var remaining = arguments[...]
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .directive(let directive):
                guard let argument = remaining.popFirst() else {
                    output += "%!\(directive.verb)(MISSING)"
                    continue
                }
                output += render(directive, argument)
            }
        }
        for extra in remaining { output += "%!(EXTRA \(extra.text))" }
        return output
    }

    private static func render(_ directive: Directive, _ argument: TemplateValue) -> String {
        switch directive.verb {
        case "f", "F", "e", "E", "g", "G":
            guard let number = argument.number else { return "%!\(directive.verb)(\(argument.text))" }
            return formatDouble(number, format: directive.spec + String(directive.verb))
        case "d", "x", "X":
            guard let number = argument.number, number.isFinite, number == number.rounded(.towardZero),
                  Swift.abs(number) < 9.2e18 else {
                return "%!\(directive.verb)(\(argument.text))"
            }
            return integer(Int64(number), directive)
        case "q":
            return pad("\"" + Labels.escape(argument.text) + "\"", directive)
        default:
            return pad(argument.text, directive)
        }
    }

    private static func integer(_ value: Int64, _ directive: Directive) -> String {
        var digits = directive.verb == "d" ? String(value.magnitude) : String(value.magnitude, radix: 16,
                                                                                uppercase: directive.verb == "X")
        if value < 0 { digits = "-" + digits } else if directive.flags.contains("+") { digits = "+" + digits }
        if directive.flags.contains("0") && !directive.leftAlign {
            let sign = digits.first == "-" || digits.first == "+" ? String(digits.removeFirst()) : ""
            while digits.count + sign.count < directive.width { digits = "0" + digits }
            return sign + digits
        }
        return pad(digits, directive)
    }

    private static func pad(_ text: String, _ directive: Directive) -> String {
        let missing = directive.width - text.count
        guard missing > 0 else { return text }
        let padding = String(repeating: " ", count: missing)
        return directive.leftAlign ? text + padding : padding + text
    }
}
