/// One lexical token of a rule expression, with the character offset where it starts.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double)
        case string(String)
        /// Punctuation and operators: `( ) { } [ ] , = != =~ !~ + - * / % ^ == < <= > >=`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int

    /// How the token is named in "unexpected ..." messages.
    var display: String {
        switch kind {
        case .identifier(let name): return "\"\(name)\""
        case .number(let value): return "number \(formatValue(value))"
        case .string: return "string"
        case .symbol(let symbol): return "\"\(symbol)\""
        case .end: return "end of expression"
        }
    }
}

/// Splits expression text into tokens; comments (`#` to end of line) and white space are skipped.
struct ExpressionLexer {
    private let source: RuleCharacters
    private let characters: [Character]
    private var position = 0

    init(_ source: String) {
        self.source = RuleCharacters(source)
        characters = self.source.characters
    }

    static func tokenize(_ source: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(source)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var current: Character? { position < characters.count ? characters[position] : nil }
    private func peek(_ ahead: Int) -> Character? {
        position + ahead < characters.count ? characters[position + ahead] : nil
    }

    mutating func next() throws(ExpressionError) -> ExpressionToken {
        skipTrivia()
        let start = position
        guard let character = current else { return ExpressionToken(kind: .end, offset: start) }
        let byte = source.byte(start)
        if isIdentifierStart(byte) {
            while isIdentifierStart(source.byte(position)) || isDigit(source.byte(position)) { position += 1 }
            return ExpressionToken(kind: .identifier(source.text(start..<position)), offset: start)
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && isDigit(source.byte(start + 1))) {
            return ExpressionToken(kind: .number(try number()), offset: start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
            return ExpressionToken(kind: .string(try string()), offset: start)
        }
        if let byte, let second = source.byte(start + 1), ExpressionLexer.isPair(byte, second) {
            position += 2
            return ExpressionToken(kind: .symbol(source.text(start..<position)), offset: start)
        }
        if let byte, ExpressionLexer.singleSymbols.contains(byte) {
            position += 1
            return ExpressionToken(kind: .symbol(source.text(start..<position)), offset: start)
        }
        throw .at(start, "unexpected character \"\(character)\"")
    }

    private static let singleSymbols = Set("(){}[],=+-*/%^<>".utf8)

    /// `!= =~ !~ == <= >=`.
    private static func isPair(_ first: UInt8, _ second: UInt8) -> Bool {
        switch (first, second) {
        case (UInt8(ascii: "!"), UInt8(ascii: "=")), (UInt8(ascii: "="), UInt8(ascii: "~")),
             (UInt8(ascii: "!"), UInt8(ascii: "~")), (UInt8(ascii: "="), UInt8(ascii: "=")),
             (UInt8(ascii: "<"), UInt8(ascii: "=")), (UInt8(ascii: ">"), UInt8(ascii: "=")): return true
        default: return false
        }
    }

    private func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    private func isIdentifierStart(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x3A
    }

    private mutating func skipTrivia() {
        while let character = current {
            let byte = source.byte(position)
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || character.isWhitespace {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = current, !next.isNewline { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func number() throws(ExpressionError) -> Double {
        let start = position
        if current == "0", peek(1) == "x" || peek(1) == "X" {
            position += 2
            while let next = current, next.isHexDigit { position += 1 }
            let digits = source.text((start + 2)..<position)
            guard let value = UInt64(digits, radix: 16) else { throw .at(start, "bad hexadecimal number") }
            return Double(value)
        }
        while isDigit(source.byte(position)) { position += 1 }
        if source.byte(position) == UInt8(ascii: ".") {
            position += 1
            while isDigit(source.byte(position)) { position += 1 }
        }
        if source.byte(position) == UInt8(ascii: "e") || source.byte(position) == UInt8(ascii: "E") {
            let mark = position
            position += 1
            if source.byte(position) == UInt8(ascii: "+") || source.byte(position) == UInt8(ascii: "-") { position += 1 }
            if isDigit(source.byte(position)) {
                while isDigit(source.byte(position)) { position += 1 }
            } else {
                position = mark
            }
        }
        let text = source.text(start..<position)
        guard let value = Double(text) else { throw .at(start, "bad number \"\(text)\"") }
        return value
    }

    private mutating func string() throws(ExpressionError) -> String {
        let (value, end) = try readQuotedString(characters, from: position)
        position = end
        return value
    }
}
