/// Escapes, bracketed classes and the named classes of RE2, all ASCII-only where RE2 makes them so.
extension Parser {
    static let digit = CharSet([0x30...0x39])
    static let word = CharSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = CharSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])

    static let posix: [String: CharSet] = [
        "alnum": CharSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A]),
        "alpha": CharSet([0x41...0x5A, 0x61...0x7A]),
        "ascii": CharSet([0x00...0x7F]),
        "blank": CharSet([0x09...0x09, 0x20...0x20]),
        "cntrl": CharSet([0x00...0x1F, 0x7F...0x7F]),
        "digit": digit,
        "graph": CharSet([0x21...0x7E]),
        "lower": CharSet([0x61...0x7A]),
        "print": CharSet([0x20...0x7E]),
        "punct": CharSet([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]),
        "space": CharSet([0x09...0x0D, 0x20...0x20]),
        "upper": CharSet([0x41...0x5A]),
        "word": word,
        "xdigit": CharSet([0x30...0x39, 0x41...0x46, 0x61...0x66]),
    ]

    /// One escaped item: a single scalar, or a class such as `\d`.
    enum Escaped {
        case scalar(UInt32)
        case set(CharSet)
        case assertion(Assertion)
        case quoted([UInt32])
    }

    mutating func parseEscape(_ flags: Flags) throws(RegexSyntaxError) -> Node {
        switch try escape(inClass: false) {
        case .scalar(let scalar): return .literal(scalar, foldCase: flags.foldCase)
        case .set(let set): return .set(set)
        case .assertion(let assertion): return .assertion(assertion)
        case .quoted(let scalars):
            let nodes = scalars.map { Node.literal($0, foldCase: flags.foldCase) }
            return nodes.count == 1 ? nodes[0] : .concat(nodes)
        }
    }

    /// At a backslash: reads the escape and moves past it.
    mutating func escape(inClass: Bool) throws(RegexSyntaxError) -> Escaped {
        let start = pos
        pos += 1
        guard let c = peek else { throw fail("trailing backslash at end of expression", at: start) }
        pos += 1
        let simple: [UInt32: UInt32] = [0x61: 7, 0x66: 12, 0x74: 9, 0x6E: 10, 0x72: 13, 0x76: 11]
        if let value = simple[c] { return .scalar(value) }
        switch c {
        case 0x31...0x37 where peek.map({ (0x30...0x37).contains($0) }) ?? false: return .scalar(octal(first: c - 0x30))
        case 0x31...0x39: throw fail("backreferences are not supported in RE2 syntax", at: start)
        case 0x30: return .scalar(octal(first: 0))
        case 0x78: return .scalar(try hex(start))
        case 0x64: return .set(Parser.digit)
        case 0x44: return .set(Parser.digit.inverted())
        case 0x77: return .set(Parser.word)
        case 0x57: return .set(Parser.word.inverted())
        case 0x73: return .set(Parser.space)
        case 0x53: return .set(Parser.space.inverted())
        case 0x70, 0x50: return .set(try unicodeClass(negated: c == 0x50, start))
        default: break
        }
        if !inClass {
            switch c {
            case 0x41: return .assertion(.beginText)
            case 0x7A: return .assertion(.endText)
            case 0x62: return .assertion(.wordBoundary)
            case 0x42: return .assertion(.notWordBoundary)
            case 0x51: return .quoted(quoted())
            default: break
            }
        }
        switch c {
        case 0x6B, 0x67: throw fail("backreferences are not supported in RE2 syntax", at: start)
        case 0x5A: throw fail("\\Z is not supported in RE2 syntax (use \\z)", at: start)
        case 0x43: throw fail("\\C (any byte) is not supported", at: start)
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return .scalar(c)
        default: throw fail("invalid escape sequence: \(slice(start, pos))", at: start)
        }
    }

    mutating func octal(first: UInt32) -> UInt32 {
        var value = first
        for _ in 0..<2 {
            guard let c = peek, (0x30...0x37).contains(c) else { break }
            value = value * 8 + (c - 0x30)
            pos += 1
        }
        return value
    }

    mutating func hex(_ start: Int) throws(RegexSyntaxError) -> UInt32 {
        func digit(_ c: UInt32?) -> UInt32? {
            guard let c else { return nil }
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        let invalid = fail("invalid escape sequence: \\x", at: start)
        if peek == 0x7B {
            pos += 1
            var value: UInt32 = 0, digits = 0
            while let d = digit(peek) {
                value = value * 16 + d
                digits += 1
                pos += 1
                guard value <= CharSet.maxScalar else { throw invalid }
            }
            guard digits > 0, peek == 0x7D else { throw invalid }
            pos += 1
            return value
        }
        guard let high = digit(peek), let low = digit(self.peek(1)) else { throw invalid }
        pos += 2
        return high * 16 + low
    }

    /// After `\Q`: everything up to `\E` or the end.
    mutating func quoted() -> [UInt32] {
        var scalars: [UInt32] = []
        while let c = peek {
            if c == 0x5C, peek(1) == 0x45 {
                pos += 2
                break
            }
            scalars.append(c)
            pos += 1
        }
        return scalars
    }

    mutating func unicodeClass(negated: Bool, _ start: Int) throws(RegexSyntaxError) -> CharSet {
        var name: String
        var negate = negated
        if peek == 0x7B {
            let nameStart = pos + 1
            while let c = peek, c != 0x7D { pos += 1 }
            guard peek == 0x7D else { throw fail("invalid character class range: \(slice(start, pos))", at: start) }
            name = slice(nameStart, pos)
            pos += 1
        } else {
            guard let c = peek else { throw fail("invalid character class range: \(slice(start, pos))", at: start) }
            name = slice(pos, pos + 1)
            pos += 1
            _ = c
        }
        if name.hasPrefix("^") {
            negate.toggle()
            name.removeFirst()
        }
        guard let set = UnicodeCategories.set(named: name) else {
            throw fail("invalid character class range: \(slice(start, pos)) (general categories and Any are "
                           + "supported, scripts are not)", at: start)
        }
        return negate ? set.inverted() : set
    }

    mutating func parseClass(_ flags: Flags) throws(RegexSyntaxError) -> Node {
        let start = pos
        pos += 1
        let negated = peek == 0x5E
        if negated { pos += 1 }
        var set = CharSet()
        var first = true
        while true {
            guard let c = peek else { throw fail("missing closing ]: \(slice(start, pos))", at: start) }
            if c == 0x5D, !first {
                pos += 1
                break
            }
            first = false
            if c == 0x5B, peek(1) == 0x3A, let named = try posixClass() {
                set.formUnion(named)
                continue
            }
            let itemStart = pos
            let low = try classItem()
            guard case .scalar(let lowValue) = low else {
                if case .set(let named) = low { set.formUnion(named) }
                continue
            }
            if peek == 0x2D, let next = peek(1), next != 0x5D {
                pos += 1
                guard case .scalar(let highValue) = try classItem(), highValue >= lowValue else {
                    throw fail("invalid character class range: \(slice(itemStart, pos))", at: itemStart)
                }
                set.insert(lowValue...highValue)
            } else {
                set.insert(lowValue...lowValue)
            }
        }
        if flags.foldCase { set = set.caseFolded() }
        return .set(negated ? set.inverted() : set)
    }

    mutating func classItem() throws(RegexSyntaxError) -> Escaped {
        guard peek == 0x5C else {
            defer { pos += 1 }
            return .scalar(text[pos])
        }
        return try escape(inClass: true)
    }

    /// `[:name:]` or `[:^name:]` inside a class; nil (position unchanged) when no `:]` closes it.
    mutating func posixClass() throws(RegexSyntaxError) -> CharSet? {
        let start = pos
        var index = pos + 2
        while index + 1 < text.count, !(text[index] == 0x3A && text[index + 1] == 0x5D) { index += 1 }
        guard index + 1 < text.count else { return nil }
        var name = slice(start + 2, index)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let set = Parser.posix[name] else {
            throw fail("invalid character class range: \(slice(start, index + 2))", at: start)
        }
        pos = index + 2
        return negated ? set.inverted() : set
    }
}
