/// A string literal of an expression or a template, starting at its opening quote: `"…"` and `'…'` take the escapes
/// `\n \t \r \\ \" \'` and end at the line; `` `…` `` is raw and may span lines. Returns the value and the offset
/// after the closing quote.
func readQuotedString(_ characters: [Character], from start: Int) throws(RuleTextError) -> (value: String, end: Int) {
    let quote = characters[start]
    var position = start + 1
    var value = ""
    while position < characters.count {
        let character = characters[position]
        position += 1
        if character == quote { return (value, position) }
        if character == "\\" && quote != "`" {
            guard position < characters.count else { break }
            let escaped = characters[position]
            position += 1
            switch escaped {
            case "n": value.append("\n")
            case "t": value.append("\t")
            case "r": value.append("\r")
            case "\\", "\"", "'": value.append(escaped)
            default:
                throw .at(position - 2, "unknown escape \"\\\(escaped)\" in string",
                          "expected one of \\\" \\' \\\\ \\n \\t \\r")
            }
        } else if character.isNewline && quote != "`" {
            break
        } else {
            value.append(character)
        }
    }
    throw .at(start, "unclosed string", "expected a closing \(quote)")
}

/// The characters of rule text (an expression, a template). ASCII text, nearly all of it, is one character per
/// byte (but "\r\n", which is one), so it is split without grapheme breaking and its words are made from bytes.
struct RuleCharacters {
    let characters: [Character]
    private let ascii: [UInt8]?

    init(_ source: String) {
        if source.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            let bytes = Array(source.utf8)
            ascii = bytes
            characters = bytes.map { RuleCharacters.asciiCharacters[Int($0)] }
        } else {
            ascii = nil
            characters = Array(source)
        }
    }

    /// The 128 ASCII characters, made once: a character per byte of the text is then a copy.
    private static let asciiCharacters: [Character] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }

    /// Character `index` as its ASCII byte; nil past the end or for any other character.
    func byte(_ index: Int) -> UInt8? {
        guard index < characters.count else { return nil }
        if let ascii { return ascii[index] }
        return characters[index].asciiValue
    }

    /// The text of characters `range`.
    func text(_ range: Range<Int>) -> String {
        if let ascii { return String(decoding: ascii[range], as: UTF8.self) }
        return String(characters[range])
    }
}
