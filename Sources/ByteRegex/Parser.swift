/// RE2's syntax, parsed into `Node`s. Everything RE2 rejects is rejected here with the offset of the offending
/// part; what RE2 has no equivalent for (backreferences, lookaround, atomic groups, possessive repetition) gets a
/// message saying so.
struct Parser {
    struct Flags {
        var foldCase = false
        var dotAll = false
        var multiLine = false
    }

    let text: [UInt32]
    var pos = 0
    var depth = 0
    static let maxDepth = 1000
    static let maxRepeat = 1000

    init(_ pattern: String) {
        text = pattern.unicodeScalars.map(\.value)
    }

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> Node {
        var parser = Parser(pattern)
        var flags = Flags()
        let node = try parser.parseAlternation(&flags)
        if parser.pos < parser.text.count {
            throw RegexSyntaxError(offset: parser.pos, message: "unexpected )")
        }
        return node
    }

    var peek: UInt32? { pos < text.count ? text[pos] : nil }
    func peek(_ ahead: Int) -> UInt32? { pos + ahead < text.count ? text[pos + ahead] : nil }
    func fail(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(offset: offset ?? pos, message: message)
    }
    func slice(_ from: Int, _ to: Int) -> String {
        String(String.UnicodeScalarView(text[from..<min(to, text.count)].compactMap(Unicode.Scalar.init)))
    }

    mutating func parseAlternation(_ flags: inout Flags) throws(RegexSyntaxError) -> Node {
        var branches = [try parseConcat(&flags)]
        while peek == 0x7C {
            pos += 1
            branches.append(try parseConcat(&flags))
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    /// Items up to `|`, `)` or the end, with their repetition operators.
    mutating func parseConcat(_ flags: inout Flags) throws(RegexSyntaxError) -> Node {
        var items: [Node] = []
        var canRepeat = false
        var lastOperator: Int?
        while let c = peek, c != 0x7C, c != 0x29 {
            let start = pos
            if let (min, max, length) = repetitionOperator() {
                let operatorText = slice(start, start + length)
                guard canRepeat, let last = items.popLast() else {
                    throw fail("missing argument to repetition operator: \(operatorText)")
                }
                if let previous = lastOperator {
                    throw fail("bad repetition operator: \(slice(previous, start + length))", at: previous)
                }
                if let max, min > max || max > Parser.maxRepeat {
                    throw fail("bad repetition operator: \(operatorText)")
                }
                if min > Parser.maxRepeat { throw fail("bad repetition operator: \(operatorText)") }
                pos += length
                if peek == 0x3F { pos += 1 }  // non-greedy: the same lines match
                if peek == 0x2B { throw fail("possessive repetition is not supported in RE2 syntax") }
                items.append(.repetition(last, min: min, max: max))
                lastOperator = start
                continue
            }
            lastOperator = nil
            if c == 0x28, peek(1) == 0x3F, let newFlags = try flagGroup(flags) {
                flags = newFlags
                canRepeat = false
                continue
            }
            items.append(try parseAtom(flags))
            canRepeat = true
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// `*`, `+`, `?` or a valid `{n}`, `{n,}`, `{n,m}` at the current position: (min, max, length). Anything
    /// else starting with `{` (such as `{,3}`) is not an operator, and so a literal, as in RE2.
    func repetitionOperator() -> (Int, Int?, Int)? {
        switch peek {
        case 0x2A: return (0, nil, 1)
        case 0x2B: return (1, nil, 1)
        case 0x3F: return (0, 1, 1)
        case 0x7B: break
        default: return nil
        }
        var index = pos + 1
        func number() -> Int? {
            var value = 0, digits = 0
            while index < text.count, (0x30...0x39).contains(text[index]) {
                value = min(value * 10 + Int(text[index] - 0x30), 100_000)
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
        guard let min = number() else { return nil }
        var max: Int? = min
        if index < text.count, text[index] == 0x2C {
            index += 1
            max = number()
        }
        guard index < text.count, text[index] == 0x7D else { return nil }
        return (min, max, index + 1 - pos)
    }

    mutating func parseAtom(_ flags: Flags) throws(RegexSyntaxError) -> Node {
        let c = text[pos]
        switch c {
        case 0x28: return try parseGroup(flags)
        case 0x5B: return try parseClass(flags)
        case 0x2E:
            pos += 1
            return .set(flags.dotAll ? CharSet.all : CharSet.all.subtracting(CharSet(0x0A)))
        case 0x5E:
            pos += 1
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case 0x24:
            pos += 1
            return .assertion(flags.multiLine ? .endLine : .endText)
        case 0x5C: return try parseEscape(flags)
        default:
            pos += 1
            return .literal(c, foldCase: flags.foldCase)
        }
    }

    mutating func parseGroup(_ flags: Flags) throws(RegexSyntaxError) -> Node {
        let start = pos
        depth += 1
        guard depth <= Parser.maxDepth else { throw fail("expression nests too deeply") }
        pos += 1
        var inner = flags
        if peek == 0x3F, peek(1) == 0x3A {
            pos += 2
        } else if peek == 0x3F {
            if let scoped = try scopedFlags(flags) {
                inner = scoped
            } else {
                try groupName()
            }
        }
        let node = try parseAlternation(&inner)
        guard peek == 0x29 else { throw fail("missing closing ): \(slice(start, pos))", at: start) }
        pos += 1
        depth -= 1
        return node
    }

    /// A named group's `?P<name>` or `?<name>`; the other `(?` forms are not RE2 and are refused.
    mutating func groupName() throws(RegexSyntaxError) {
        let start = pos - 1
        pos += 1
        switch peek {
        case 0x3D, 0x21: throw fail("lookahead is not supported in RE2 syntax", at: start)
        case 0x3E: throw fail("atomic groups are not supported in RE2 syntax", at: start)
        case 0x23: throw fail("comments are not supported in RE2 syntax", at: start)
        case 0x50 where peek(1) == 0x3D || peek(1) == 0x3E:
            throw fail("backreferences are not supported in RE2 syntax", at: start)
        case 0x3C where peek(1) == 0x3D || peek(1) == 0x21:
            throw fail("lookbehind is not supported in RE2 syntax", at: start)
        case 0x50 where peek(1) == 0x3C: pos += 2
        case 0x3C: pos += 1
        default: throw fail("invalid or unsupported Perl syntax: \(slice(start, pos + 1))", at: start)
        }
        let nameStart = pos
        while let c = peek, c == 0x5F || (0x30...0x39).contains(c) || (0x41...0x5A).contains(c)
            || (0x61...0x7A).contains(c) {
            pos += 1
        }
        guard peek == 0x3E, pos > nameStart else {
            throw fail("invalid named capture: \(slice(start, pos + 1))", at: start)
        }
        pos += 1
    }

    /// `(?flags)` on its own: the flags for the rest of the group. Nil when this is not a flag group.
    mutating func flagGroup(_ flags: Flags) throws(RegexSyntaxError) -> Flags? {
        let start = pos
        pos += 1
        guard let (result, terminator) = try parseFlags(flags), terminator == 0x29 else {
            pos = start
            return nil
        }
        return result
    }

    /// `(?flags:` — the group's flags; nil (position unchanged) when the group is not of that form.
    mutating func scopedFlags(_ flags: Flags) throws(RegexSyntaxError) -> Flags? {
        let start = pos
        guard let (result, terminator) = try parseFlags(flags), terminator == 0x3A else {
            pos = start
            return nil
        }
        return result
    }

    /// At `?`: letters `i m s U`, optionally `-` and more, up to `)` or `:`, which is consumed and returned.
    mutating func parseFlags(_ flags: Flags) throws(RegexSyntaxError) -> (Flags, UInt32)? {
        let start = pos - 1
        var index = pos + 1
        var result = flags
        var negated = false
        var sawFlag = false
        while index < text.count {
            let c = text[index]
            index += 1
            switch c {
            case 0x69: result.foldCase = !negated
            case 0x6D: result.multiLine = !negated
            case 0x73: result.dotAll = !negated
            case 0x55: break  // ungreedy: the same lines match
            case 0x2D:
                guard !negated else { throw fail("invalid or unsupported Perl syntax: \(slice(start, index))", at: start) }
                negated = true
                sawFlag = false
                continue
            case 0x29, 0x3A:
                if negated && !sawFlag || index == pos + 2 && c == 0x29 {
                    throw fail("missing argument to flags: \(slice(start, index))", at: start)
                }
                if index == pos + 2 { return nil }  // `(?:`
                pos = index
                return (result, c)
            default:
                return nil
            }
            sawFlag = true
        }
        return nil
    }
}
