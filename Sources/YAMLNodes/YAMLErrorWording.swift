import CYAML

/// Turns libyaml's problem and context into a message that says what to fix.
struct YAMLErrorWording {
    let text: String
    let file: String?

    func error(from parser: yaml_parser_t) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return YAMLError("out of memory while parsing YAML", file: file, line: 1, column: 1)
        case YAML_READER_ERROR:
            let (line, column) = position(ofByte: Int(parser.problem_offset))
            let value = parser.problem_value >= 0 ? " (byte 0x" + String(parser.problem_value, radix: 16) + ")" : ""
            return YAMLError("\(problem)\(value) at byte offset \(parser.problem_offset); the file must be UTF-8",
                             file: file, line: line, column: column)
        default:
            let line = Int(parser.problem_mark.line) + 1
            let column = Int(parser.problem_mark.column) + 1
            var context: (text: String, line: Int, column: Int)?
            if let raw = parser.context {
                context = (String(cString: raw), Int(parser.context_mark.line) + 1, Int(parser.context_mark.column) + 1)
            }
            let message = explain(problem, context: context, line: line,
                                  character: character(line: line, column: column))
            return YAMLError(message, file: file, line: line, column: column)
        }
    }

    private func explain(_ problem: String, context: (text: String, line: Int, column: Int)?, line: Int,
                         character: Character?)
        -> String
    {
        let started = context.map { "line \($0.line) column \($0.column)" } ?? "earlier"
        switch problem {
        case "mapping values are not allowed in this context":
            return "mapping values are not allowed here (quote a value that contains \": \", or check the indentation)"
        case "found character that cannot start any token":
            if character == "\t" {
                return "found a tab character that cannot start any token (indent with spaces, not tabs)"
            }
            if character == "@" || character == "`" {
                return "found character \"\(character!)\" that cannot start any token (it is reserved; quote the value)"
            }
            return "found character that cannot start any token"
        case "did not find expected key":
            if let context, context.line == line {
                return "did not find expected key (unexpected text after a value; quote the whole value)"
            }
            return "did not find expected key (this line's indentation does not match the mapping started at "
                + started + ")"
        case "found a tab character that violates indentation":
            return "found a tab character that violates indentation (indent with spaces, not tabs)"
        case "did not find expected '-' indicator":
            return "did not find expected \"-\" (this line's indentation does not match the list started at "
                + started + ")"
        case "could not find expected ':'":
            return "could not find expected \":\" after the key started at \(started)"
        case "found unexpected end of stream":
            if let context, context.text.contains("quoted scalar") {
                return "found the end of the file inside the quoted string started at \(started) "
                    + "(missing closing quote)"
            }
        case "did not find expected ',' or ']'":
            return "did not find expected \",\" or \"]\" in the list started at \(started)"
        case "did not find expected ',' or '}'":
            return "did not find expected \",\" or \"}\" in the mapping started at \(started)"
        default:
            break
        }
        guard let context else { return problem }
        return "\(problem) (\(context.text) at \(started))"
    }

    /// The character at a 1-based line and column, for hints about tabs and reserved indicators.
    private func character(line: Int, column: Int) -> Character? {
        var current = 1
        for text in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line {
                let characters = Array(text.unicodeScalars)
                return column - 1 < characters.count ? Character(characters[column - 1]) : nil
            }
            current += 1
        }
        return nil
    }

    private func position(ofByte offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let bytes = Array(text.utf8.prefix(offset))
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart...], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
    }
}
