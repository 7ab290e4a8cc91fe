/// Compiles `Node`s into a `Program`, back to front: each piece is compiled knowing where it continues.
struct Compiler {
    static let maxInstructions = 250_000
    var program = Program()

    static func compile(_ node: Node, unanchored: Bool) throws(RegexSyntaxError) -> Program {
        var compiler = Compiler()
        let match = compiler.emit(Inst(kind: .match))
        var start = try compiler.compile(node, next: match)
        if unanchored {
            // (?s:.)*? in front, over any byte: a match may begin anywhere.
            let loop = compiler.emit(Inst(kind: .split))
            let anyByte = compiler.emit(Inst(kind: .byteRange, low: 0, high: 255, next: loop))
            compiler.program.insts[Int(loop)].next = start
            compiler.program.insts[Int(loop)].alternative = anyByte
            start = loop
        }
        guard compiler.program.insts.count <= maxInstructions else { throw tooLarge }
        compiler.program.start = start
        return compiler.program
    }

    static let tooLarge = RegexSyntaxError(
        offset: 0, message: "expression too large: it compiles to more than \(maxInstructions) instructions")

    mutating func emit(_ inst: Inst) -> Int32 {
        program.insts.append(inst)
        return Int32(program.insts.count - 1)
    }

    mutating func split(_ first: Int32, _ second: Int32) -> Int32 {
        emit(Inst(kind: .split, next: first, alternative: second))
    }

    mutating func compile(_ node: Node, next: Int32) throws(RegexSyntaxError) -> Int32 {
        guard program.insts.count <= Compiler.maxInstructions else { throw Compiler.tooLarge }
        switch node {
        case .empty:
            return next
        case .set(let set):
            return compileSet(set, next: next)
        case .concat(let items):
            var pc = next
            for item in items.reversed() { pc = try compile(item, next: pc) }
            return pc
        case .alternate(let branches):
            var entries: [Int32] = []
            for branch in branches { entries.append(try compile(branch, next: next)) }
            var pc = entries.removeLast()
            for entry in entries.reversed() { pc = split(entry, pc) }
            return pc
        case .repetition(let item, let min, let max):
            return try compileRepetition(item, min: min, max: max, next: next)
        case .assertion(let assertion):
            switch assertion {
            case .beginText: program.lookMask |= Look.atStart
            case .beginLine: program.lookMask |= Look.atStart | Look.afterNewline
            case .wordBoundary, .notWordBoundary: program.lookMask |= Look.afterWord
            case .endText, .endLine: break
            }
            return emit(Inst(kind: .assertion, low: assertion.rawValue, next: next))
        }
    }

    mutating func compileRepetition(_ item: Node, min: Int, max: Int?,
                                    next: Int32) throws(RegexSyntaxError) -> Int32 {
        var pc = next
        var mandatory = min
        if let max {
            for _ in 0..<(max - min) {
                let body = try compile(item, next: pc)
                pc = split(body, next)
            }
        } else {
            // A loop: one copy that goes back to a split choosing between another round and leaving.
            let loop = split(0, next)
            let body = try compile(item, next: loop)
            program.insts[Int(loop)].next = body
            if mandatory > 0 {
                mandatory -= 1
                pc = body
            } else {
                pc = loop
            }
        }
        for _ in 0..<mandatory { pc = try compile(item, next: pc) }
        return pc
    }

    /// A class as alternatives of UTF-8 byte sequences; surrogates, which UTF-8 cannot encode, are left out.
    mutating func compileSet(_ set: CharSet, next: Int32) -> Int32 {
        var sequences: [[ClosedRange<UInt8>]] = []
        for range in set.ranges {
            if range.lowerBound <= 0xD7FF {
                UTF8Ranges.split(range.lowerBound, min(range.upperBound, 0xD7FF), into: &sequences)
            }
            if range.upperBound >= 0xE000 {
                UTF8Ranges.split(max(range.lowerBound, 0xE000), range.upperBound, into: &sequences)
            }
        }
        // An empty class matches nothing: a byte range no byte is in.
        guard !sequences.isEmpty else { return emit(Inst(kind: .byteRange, low: 1, high: 0, next: next)) }
        var entries: [Int32] = []
        for sequence in sequences {
            var pc = next
            for byteRange in sequence.reversed() {
                pc = emit(Inst(kind: .byteRange, low: byteRange.lowerBound, high: byteRange.upperBound, next: pc))
            }
            entries.append(pc)
        }
        var pc = entries.removeLast()
        for entry in entries.reversed() { pc = split(entry, pc) }
        return pc
    }
}

/// Splits a range of scalars into sequences of byte ranges, each matching exactly the UTF-8 encodings of a
/// sub-range (the method of Russ Cox's utf8-ranges).
enum UTF8Ranges {
    static func split(_ low: UInt32, _ high: UInt32, into sequences: inout [[ClosedRange<UInt8>]]) {
        for boundary: UInt32 in [0x7F, 0x7FF, 0xFFFF] where low <= boundary && boundary < high {
            split(low, boundary, into: &sequences)
            split(boundary + 1, high, into: &sequences)
            return
        }
        if high < 0x80 {
            sequences.append([UInt8(low)...UInt8(high)])
            return
        }
        let length = encode(low).count
        for index in 1..<length {
            let mask: UInt32 = (1 << (6 * UInt32(index))) - 1
            if low & ~mask != high & ~mask {
                if low & mask != 0 {
                    split(low, low | mask, into: &sequences)
                    split((low | mask) + 1, high, into: &sequences)
                    return
                }
                if high & mask != mask {
                    split(low, (high & ~mask) - 1, into: &sequences)
                    split(high & ~mask, high, into: &sequences)
                    return
                }
            }
        }
        let lows = encode(low), highs = encode(high)
        sequences.append((0..<length).map { lows[$0]...highs[$0] })
    }

    static func encode(_ value: UInt32) -> [UInt8] {
        Array(String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8)
    }
}
