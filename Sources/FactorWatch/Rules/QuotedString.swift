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
