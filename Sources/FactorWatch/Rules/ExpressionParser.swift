import YAMLNodes

/// Recursive-descent parser for rule expressions, with PromQL's operator precedence:
/// `^` (right-associative) > unary minus > `* / %` > `+ -` > comparisons > `and unless` > `or`.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    var index = 0
    /// Nesting depth, bounded so a pathological expression fails cleanly instead of exhausting the stack.
    private var depth = 0
    private static let maximumDepth = 200

    private init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    static func parse(_ source: String) throws(ExpressionError) -> ExpressionNode {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokenize(source))
        if parser.token.kind == .end { throw .at(0, "empty expression") }
        let node = try parser.parseBinary(minimumPrecedence: 1)
        if parser.token.kind != .end {
            throw parser.unexpected("expected an operator or the end of the expression")
        }
        try rejectRange(node, at: 0)
        return node
    }

    private static let binaryKeywords: Set<String> = ["and", "or", "unless"]
    private static let callableNames =
        FunctionName.allCases.map(\.rawValue) + AggregationOperator.allCases.map(\.rawValue)

    // MARK: - Token access

    var token: ExpressionToken { tokens[index] }
    var nextToken: ExpressionToken { tokens[min(index + 1, tokens.count - 1)] }
    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func isSymbol(_ symbol: String, _ token: ExpressionToken? = nil) -> Bool {
        (token ?? self.token).kind == .symbol(symbol)
    }

    func identifier(_ token: ExpressionToken? = nil) -> String? {
        if case .identifier(let name) = (token ?? self.token).kind { return name }
        return nil
    }

    func unexpected(_ hint: String) -> ExpressionError {
        .at(token.offset, "unexpected \(token.display)", hint)
    }

    mutating func expect(_ symbol: String) throws(ExpressionError) {
        guard isSymbol(symbol) else { throw unexpected("expected \"\(symbol)\"") }
        advance()
    }

    // MARK: - Operators

    private func binaryOperator() -> BinaryOperator? {
        switch token.kind {
        case .symbol(let symbol): return symbol == "^" ? nil : BinaryOperator(rawValue: symbol)
        case .identifier(let name): return Self.binaryKeywords.contains(name) ? BinaryOperator(rawValue: name) : nil
        default: return nil
        }
    }

    private mutating func parseBinary(minimumPrecedence: Int) throws(ExpressionError) -> ExpressionNode {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw .at(token.offset, "expression nested too deeply") }
        var lhs = try parseUnary()
        while let op = binaryOperator(), op.precedence >= minimumPrecedence {
            let operatorOffset = token.offset
            advance()
            var returnBool = false
            if identifier() == "bool" {
                guard op.isComparison else {
                    throw .at(token.offset, "the bool modifier is only allowed on comparisons")
                }
                returnBool = true
                advance()
            }
            var matching = VectorMatching.identical
            var matchingOffset: Int?
            if let keyword = identifier(), keyword == "on" || keyword == "ignoring" {
                matchingOffset = token.offset
                advance()
                matching = VectorMatching(on: keyword == "on", labels: try parseLabelList())
            }
            if let keyword = identifier(), keyword == "group_left" || keyword == "group_right" {
                throw .at(token.offset, "\(keyword) (many-to-one matching) is not supported",
                          "only one-to-one matching with on(...) or ignoring(...)")
            }
            // Left-associative: the right operand binds only tighter operators.
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            try Self.rejectRange(lhs, at: operatorOffset)
            try Self.rejectRange(rhs, at: operatorOffset)
            let bothScalar = lhs.type == .scalar && rhs.type == .scalar
            if op.isSetOperator && (lhs.type == .scalar || rhs.type == .scalar) {
                throw .at(operatorOffset, "set operator \"\(op.rawValue)\" needs instant vectors on both sides")
            }
            if op.isComparison && bothScalar && !returnBool {
                throw .at(operatorOffset, "comparisons between scalars must use the bool modifier",
                          "write \"\(op.rawValue) bool\"")
            }
            if let matchingOffset, lhs.type == .scalar || rhs.type == .scalar {
                throw .at(matchingOffset, "on(...) and ignoring(...) are only allowed between two instant vectors")
            }
            lhs = .binary(op, lhs, rhs, returnBool: returnBool, matching: matching)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        if isSymbol("-") || isSymbol("+") {
            let negative = isSymbol("-")
            advance()
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maximumDepth { throw .at(token.offset, "expression nested too deeply") }
            let operandOffset = token.offset
            let operand = try parseUnary()
            try Self.rejectRange(operand, at: operandOffset)
            guard negative else { return operand }
            if case .number(let value) = operand { return .number(-value) }
            return .negate(operand)
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(ExpressionError) -> ExpressionNode {
        let base = try parsePrimary()
        guard isSymbol("^") else { return base }
        advance()
        // Right-associative, and the exponent may carry its own sign: 2 ^ -1.
        let exponent = try parseUnary()
        return .binary(.power, base, exponent, returnBool: false, matching: .identical)
    }

    // MARK: - Primaries

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value)
        case .symbol("("):
            advance()
            let inner = try parseBinary(minimumPrecedence: 1)
            try expect(")")
            return inner
        case .symbol("{"):
            throw .at(token.offset, "a selector needs a metric name before \"{\"")
        case .identifier(let name):
            return try parseIdentifier(name)
        default:
            throw unexpected("expected an expression")
        }
    }

    private mutating func parseIdentifier(_ name: String) throws(ExpressionError) -> ExpressionNode {
        let start = token
        if Self.binaryKeywords.contains(name) { throw unexpected("expected an expression") }
        if let aggregation = AggregationOperator(rawValue: name) {
            if isSymbol("(", nextToken) { return try parseAggregation(aggregation) }
            if let word = identifier(nextToken) {
                if word == "by" || word == "without" { return try parseAggregation(aggregation) }
                if !Self.binaryKeywords.contains(word) {
                    throw .at(nextToken.offset, "unknown aggregation modifier \"\(word)\"", "expected by or without")
                }
            }
        }
        if isSymbol("(", nextToken) {
            guard let function = FunctionName(rawValue: name) else {
                var hint: String?
                if let suggestion = Suggestion.closest(to: name, among: Self.callableNames) {
                    hint = "did you mean \"\(suggestion)\"?"
                }
                throw .at(start.offset, "unknown function \"\(name)\"", hint)
            }
            return try parseCall(function)
        }
        let lowered = name.lowercased()
        if (lowered == "inf" || lowered == "nan") && !isSymbol("{", nextToken) {
            advance()
            return .number(lowered == "inf" ? .infinity : .nan)
        }
        advance()
        var matchers: [LabelMatcher] = []
        if isSymbol("{") { matchers = try parseMatchers() }
        if isSymbol("[") || identifier() == "offset" { return try parseHistory(metric: name, matchers: matchers) }
        return .selector(metric: name, matchers: matchers)
    }

    private mutating func parseMatchers() throws(ExpressionError) -> [LabelMatcher] {
        try expect("{")
        var matchers: [LabelMatcher] = []
        while !isSymbol("}") {
            guard let name = identifier() else { throw unexpected("expected a label name or \"}\"") }
            advance()
            guard case .symbol(let symbol) = token.kind, let kind = LabelMatcher.Kind(rawValue: symbol) else {
                throw unexpected("expected one of = != =~ !~")
            }
            advance()
            guard case .string(let value) = token.kind else { throw unexpected("expected a quoted label value") }
            var regex: LabelRegex?
            if kind == .matches || kind == .notMatches {
                do {
                    regex = try LabelRegex(value)
                } catch {
                    throw .at(token.offset, "bad regular expression \"\(value)\" (\(error))")
                }
            }
            matchers.append(LabelMatcher(name: name, kind: kind, value: value, regex: regex))
            advance()
            if isSymbol(",") {
                advance()
            } else if !isSymbol("}") {
                throw unexpected("expected \",\" or \"}\"")
            }
        }
        advance()
        return matchers
    }

    /// `(a, b, ...)` after by, without, on or ignoring; a trailing comma is allowed.
    private mutating func parseLabelList() throws(ExpressionError) -> [String] {
        try expect("(")
        var labels: [String] = []
        while !isSymbol(")") {
            guard let name = identifier() else { throw unexpected("expected a label name or \")\"") }
            labels.append(name)
            advance()
            if isSymbol(",") {
                advance()
            } else if !isSymbol(")") {
                throw unexpected("expected \",\" or \")\"")
            }
        }
        advance()
        return labels
    }

    private mutating func parseGrouping() throws(ExpressionError) -> Grouping {
        let without = identifier() == "without"
        advance()
        return Grouping(without: without, labels: try parseLabelList())
    }

    private mutating func parseAggregation(_ op: AggregationOperator) throws(ExpressionError) -> ExpressionNode {
        advance()
        var grouping: Grouping?
        if identifier() != nil { grouping = try parseGrouping() }
        try expect("(")
        var parameter: ExpressionNode?
        if op.takesParameter {
            let parameterOffset = token.offset
            let node = try parseBinary(minimumPrecedence: 1)
            guard node.type == .scalar else {
                throw .at(parameterOffset, "expected a scalar as the first argument of \(op.rawValue)")
            }
            parameter = node
            try expect(",")
        }
        let argumentOffset = token.offset
        let argument = try parseBinary(minimumPrecedence: 1)
        try expect(")")
        if let word = identifier() {
            if word == "by" || word == "without" {
                if grouping != nil { throw .at(token.offset, "\(op.rawValue) already has a by or without clause") }
                grouping = try parseGrouping()
            } else if !Self.binaryKeywords.contains(word) {
                throw .at(token.offset, "unknown aggregation modifier \"\(word)\"", "expected by or without")
            }
        }
        guard argument.type == .vector else {
            throw .at(argumentOffset,
                      "expected an instant vector to aggregate with \(op.rawValue), got \(argument.type.article)")
        }
        return .aggregate(op, parameter: parameter, argument: argument, grouping: grouping ?? .all)
    }

    private mutating func parseCall(_ function: FunctionName) throws(ExpressionError) -> ExpressionNode {
        let nameOffset = token.offset
        advance()
        try expect("(")
        var arguments: [ExpressionNode] = []
        var offsets: [Int] = []
        while !isSymbol(")") {
            offsets.append(token.offset)
            arguments.append(try parseBinary(minimumPrecedence: 1))
            if isSymbol(",") {
                advance()
            } else if !isSymbol(")") {
                throw unexpected("expected \",\" or \")\"")
            }
        }
        advance()
        let parameters = function.parameters
        let minimum = parameters.count - function.optionalCount
        guard arguments.count >= minimum && arguments.count <= parameters.count else {
            let expected = minimum == parameters.count ? "\(minimum)" : "\(minimum) to \(parameters.count)"
            let plural = parameters.count == 1 ? "" : "s"
            throw .at(nameOffset, "\(function.rawValue)() takes \(expected) argument\(plural), got \(arguments.count)")
        }
        for (position, argument) in arguments.enumerated() where argument.type != parameters[position] {
            throw .at(offsets[position], "argument \(position + 1) of \(function.rawValue)() must be "
                + "\(parameters[position].article), got \(argument.type.article)")
        }
        return .call(function, arguments)
    }
}
