import YAMLNodes

/// Parses template text into literal text and `{{ ... }}` actions, validating every name up front.
struct TemplateParser {
    private let source: RuleCharacters
    private let characters: [Character]
    private let fields: Set<String>
    private var position = 0

    private init(_ source: String, fields: Set<String>) {
        self.source = RuleCharacters(source)
        characters = self.source.characters
        self.fields = fields
    }

    static func parse(_ source: String, fields: Set<String>) throws(TemplateError) -> [TemplateNode] {
        var parser = TemplateParser(source, fields: fields)
        return try parser.parseNodes()
    }

    private static let controlWords: Set<String> = ["if", "else", "end", "range", "with", "define", "template",
                                                     "block", "break", "continue"]

    private enum Token {
        case identifier(String)
        case variable(String, path: [String])
        case field([String])
        case string(String)
        case number(Double)
        case pipe
    }

    private var current: Character? { position < characters.count ? characters[position] : nil }
    private func peek(_ ahead: Int) -> Character? {
        position + ahead < characters.count ? characters[position + ahead] : nil
    }

    // MARK: - Text and actions

    private mutating func parseNodes() throws(TemplateError) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        var text = ""
        var trimNextText = false
        while let character = current {
            guard opensAction(at: position) else {
                if trimNextText && character.isWhitespace {
                    position += 1
                    continue
                }
                trimNextText = false
                // The literal text up to the next action, in one piece.
                let start = position
                while position < characters.count, !opensAction(at: position) { position += 1 }
                text += source.text(start..<position)
                continue
            }
            let open = position
            position += 2
            if current == "-" && peek(1)?.isWhitespace == true {
                position += 1
                while text.last?.isWhitespace == true { text.removeLast() }
            }
            if !text.isEmpty { nodes.append(.text(text)) }
            text = ""
            let (pipeline, trimRight) = try parseAction(open: open)
            if let pipeline { nodes.append(.action(pipeline)) }
            trimNextText = trimRight
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        return nodes
    }

    /// Reads one action up to its `}}`; a comment action yields no pipeline.
    private mutating func parseAction(open: Int) throws(TemplateError) -> (TemplatePipeline?, trimRight: Bool) {
        skipSpaces()
        if current == "/" && peek(1) == "*" {
            while current != nil && !(current == "*" && peek(1) == "/") { position += 1 }
            guard current != nil else { throw .at(open, "unclosed comment in action \"{{\"") }
            position += 2
            skipSpaces()
            let trimRight = try close(open: open)
            return (nil, trimRight)
        }
        var tokens: [(Token, Int)] = []
        while true {
            skipSpaces()
            guard let character = current else { throw .at(open, "unclosed action \"{{\"", "expected \"}}\"") }
            if character == "}" && peek(1) == "}" { break }
            if character == "-" && peek(1) == "}" && peek(2) == "}" { break }
            let start = position
            tokens.append((try nextToken(open: open), start))
        }
        let closeOffset = position
        let trimRight = try close(open: open)
        return (try pipeline(tokens, closeOffset: closeOffset), trimRight)
    }

    private mutating func close(open: Int) throws(TemplateError) -> Bool {
        var trimRight = false
        if current == "-" && peek(1) == "}" {
            trimRight = true
            position += 1
        }
        guard current == "}" && peek(1) == "}" else {
            throw .at(current == nil ? open : position, current == nil ? "unclosed action \"{{\"" : "expected \"}}\"")
        }
        position += 2
        return trimRight
    }

    private mutating func skipSpaces() {
        while let character = current, source.byte(position) == 0x20 || character.isWhitespace { position += 1 }
    }

    // MARK: - Tokens inside an action

    private mutating func nextToken(open: Int) throws(TemplateError) -> Token {
        let start = position
        let character = current!
        if character == "|" {
            position += 1
            return .pipe
        }
        if character == "$" || character == "." {
            position += 1
            let name = readName()
            var path = [name]
            while source.byte(position) == UInt8(ascii: "."), isNameByte(source.byte(position + 1)) {
                position += 1
                path.append(readName())
            }
            if character == "$" { return .variable(name, path: Array(path.dropFirst())) }
            if name.isEmpty { throw .at(start, "the whole context \".\" cannot be printed", "use .Value or .Labels") }
            return .field(path)
        }
        if character == "\"" || character == "`" {
            return .string(try readString())
        }
        if character.isNumber || ((character == "-" || character == "+") && peek(1)?.isNumber == true) {
            position += 1
            while let next = current, next.isNumber || next == "." || next == "e" || next == "E" { position += 1 }
            let text = source.text(start..<position)
            guard let number = Double(text) else { throw .at(start, "bad number \"\(text)\"") }
            return .number(number)
        }
        if isNameByte(source.byte(position)) {
            return .identifier(readName())
        }
        if character == "}" { throw .at(open, "unclosed action \"{{\"", "expected \"}}\" at column \(start + 1)") }
        throw .at(start, "unexpected \"\(character)\" in action")
    }

    /// Whether `{{` starts at `index`.
    private func opensAction(at index: Int) -> Bool {
        source.byte(index) == UInt8(ascii: "{") && source.byte(index + 1) == UInt8(ascii: "{")
    }

    private func isNameByte(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    private mutating func readName() -> String {
        let start = position
        while isNameByte(source.byte(position)) { position += 1 }
        return source.text(start..<position)
    }

    private mutating func readString() throws(TemplateError) -> String {
        let (value, end) = try readQuotedString(characters, from: position)
        position = end
        return value
    }

    // MARK: - Pipelines

    private func pipeline(_ tokens: [(Token, Int)], closeOffset: Int) throws(TemplateError) -> TemplatePipeline {
        var commands: [TemplateCommand] = []
        var segment: [(Token, Int)] = []
        for (token, offset) in tokens + [(.pipe, closeOffset)] {
            guard case .pipe = token else {
                segment.append((token, offset))
                continue
            }
            guard !segment.isEmpty else { throw .at(offset, "missing value in action before \"|\" or \"}}\"") }
            commands.append(try command(segment, piped: !commands.isEmpty))
            segment = []
        }
        return TemplatePipeline(commands: commands)
    }

    private func command(_ tokens: [(Token, Int)], piped: Bool) throws(TemplateError) -> TemplateCommand {
        var function: TemplateFunction?
        var operands = tokens[...]
        let (first, firstOffset) = tokens[0]
        if case .identifier(let name) = first {
            if Self.controlWords.contains(name) {
                throw .at(firstOffset, "\"\(name)\" is not supported in templates",
                          "only values, printf and the humanize functions")
            }
            guard let known = TemplateFunction(rawValue: name) else {
                let suggestion = Suggestion.closest(to: name, among: TemplateFunction.allCases.map(\.rawValue))
                throw .at(firstOffset, "unknown function \"\(name)\"", suggestion.map { "did you mean \"\($0)\"?" })
            }
            function = known
            operands = operands.dropFirst()
        }
        var arguments: [TemplateOperand] = []
        for (token, offset) in operands {
            arguments.append(try operand(token, offset: offset))
        }
        if let function {
            let count = arguments.count + (piped ? 1 : 0)
            guard function.arity.contains(count) else {
                let expected = function.arity.upperBound == Int.max ? "at least \(function.arity.lowerBound)"
                    : "\(function.arity.lowerBound)"
                throw .at(firstOffset, "\(function.rawValue) takes \(expected) argument"
                    + "\(function.arity.lowerBound == 1 ? "" : "s"), got \(count)")
            }
            if function == .printf, !piped || !arguments.isEmpty {
                guard case .string(let format) = arguments[0] else {
                    throw .at(tokens[1].1, "printf needs a quoted format string first")
                }
                if TemplatePrintf.parse(format) == nil {
                    throw .at(tokens[1].1, "bad printf format \"\(format)\"",
                              "verbs are %f %e %g %d %s %v %q %x %%")
                }
            }
        } else if arguments.count > 1 || piped {
            throw .at(tokens[piped ? 0 : 1].1, "a value cannot take arguments", "put a function first")
        }
        return TemplateCommand(function: function, arguments: arguments)
    }

    private func operand(_ token: Token, offset: Int) throws(TemplateError) -> TemplateOperand {
        switch token {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .pipe: throw .at(offset, "unexpected \"|\"")
        case .identifier(let name):
            throw .at(offset, "\(name) must come first in a command", "functions take their arguments after them")
        case .variable(let name, let path):
            switch (name, path.count) {
            case ("value", 0): return .value
            case ("labels", 0): return .labels
            case ("labels", 1): return .label(path[0])
            case ("value", _), ("labels", _):
                throw .at(offset, "$\(name) has no field \"\(path.last!)\"")
            default:
                throw .at(offset, "unknown variable \"$\(name)\"", "expected $value or $labels")
            }
        case .field(let path):
            switch (path[0], path.count) {
            case ("Value", 1): return .value
            case ("Labels", 1): return .labels
            case ("Labels", 2): return .label(path[1])
            case (let name, 1) where fields.contains(name): return .field(name)
            default:
                let valid = ([".Value", ".Labels"] + fields.sorted().map { ".\($0)" }).joined(separator: ", ")
                throw .at(offset, "unknown field \".\(path.joined(separator: "."))\"", "expected one of \(valid)")
            }
        }
    }
}
