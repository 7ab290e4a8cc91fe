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
    private let characters: [Character]
    private var position = 0

    init(_ source: String) {
        characters = Array(source)
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
        if character.isIdentifierStart {
            while let next = current, next.isIdentifierBody { position += 1 }
            return ExpressionToken(kind: .identifier(String(characters[start..<position])), offset: start)
        }
        if character.isASCIIDigit || (character == "." && peek(1)?.isASCIIDigit == true) {
            return ExpressionToken(kind: .number(try number()), offset: start)
        }
        if character == "\"" || character == "'" || character == "`" {
            return ExpressionToken(kind: .string(try string()), offset: start)
        }
        let pairs = ["!=", "=~", "!~", "==", "<=", ">="]
        if let second = peek(1), pairs.contains(String([character, second])) {
            position += 2
            return ExpressionToken(kind: .symbol(String([character, second])), offset: start)
        }
        if "(){}[],=+-*/%^<>".contains(character) {
            position += 1
            return ExpressionToken(kind: .symbol(String(character)), offset: start)
        }
        throw .at(start, "unexpected character \"\(character)\"")
    }

    private mutating func skipTrivia() {
        while let character = current {
            if character.isWhitespace {
                position += 1
            } else if character == "#" {
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
            let digits = String(characters[(start + 2)..<position])
            guard let value = UInt64(digits, radix: 16) else { throw .at(start, "bad hexadecimal number") }
            return Double(value)
        }
        while let next = current, next.isASCIIDigit { position += 1 }
        if current == "." {
            position += 1
            while let next = current, next.isASCIIDigit { position += 1 }
        }
        if current == "e" || current == "E" {
            let mark = position
            position += 1
            if current == "+" || current == "-" { position += 1 }
            if current?.isASCIIDigit == true {
                while let next = current, next.isASCIIDigit { position += 1 }
            } else {
                position = mark
            }
        }
        let text = String(characters[start..<position])
        guard let value = Double(text) else { throw .at(start, "bad number \"\(text)\"") }
        return value
    }

    private mutating func string() throws(ExpressionError) -> String {
        let (value, end) = try readQuotedString(characters, from: position)
        position = end
        return value
    }
}

fileprivate extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isIdentifierStart: Bool { (isASCII && isLetter) || self == "_" || self == ":" }
    var isIdentifierBody: Bool { isIdentifierStart || isASCIIDigit }
}
