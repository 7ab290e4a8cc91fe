import FactorWatch
import Testing

@Suite struct ExpressionErrorTests {
    @Test(arguments: [
        ("factor_variance < )", 18, "unexpected \")\" at column 19, expected an expression"),
        ("maxx(factor_variance)", 0, "unknown function \"maxx\" at column 1, did you mean \"max\"?"),
        ("absnt(x)", 0, "did you mean \"absent\"?"),
        ("m{a=\"unclosed}", 4, "unclosed string"),
        ("m{a=~\"(\"}", 5, "bad regular expression"),
        ("sum bye (f) (x)", 4, "unknown aggregation modifier \"bye\""),
        ("sum(x) bye (f)", 7, "unknown aggregation modifier \"bye\""),
        ("(a + b", 6, "unexpected end of expression at column 7, expected \")\""),
        ("a + ", 4, "expected an expression"),
        ("1 > 2", 2, "comparisons between scalars must use the bool modifier"),
        ("a and 1", 2, "set operator \"and\" needs instant vectors"),
        ("a + bool b", 4, "bool modifier is only allowed on comparisons"),
        ("m{a}", 3, "expected one of = != =~ !~"),
        ("m{a=1}", 4, "expected a quoted label value"),
        ("m{a='x' b='y'}", 8, "expected \",\" or \"}\""),
        ("a b", 2, "expected an operator or the end of the expression"),
        ("sum(1)", 4, "expected an instant vector to aggregate"),
        ("clamp_min(m)", 0, "clamp_min() takes 2 arguments, got 1"),
        ("vector(m)", 7, "argument 1 of vector() must be a scalar"),
        ("m[5m]", 3, "expected a unit after 5"),
        ("m[0td]", 2, "a history length must be a whole number of at least 1"),
        ("m[20td]", 0, "a range vector (m[20td]) must be the argument of a function"),
        ("m[20td] + 1", 8, "a range vector (m[20td]) must be the argument of a function"),
        ("avg_over_time(m)", 14, "argument 1 of avg_over_time() must be a range vector, got an instant vector"),
        ("sum(m[5td])", 4, "expected an instant vector to aggregate with sum, got a range vector"),
        ("factor_std[5r]", 11, "factor_std is kept per trading day: use td or d, not r"),
        ("job_last_duration_seconds[5td]", 26, "job_last_duration_seconds is kept per job run: use r"),
        ("m offset", 8, "expected a length such as 20td"),
        ("{a='1'}", 0, "a selector needs a metric name"),
        ("a @ b", 2, "unexpected character \"@\""),
        ("m{a=\"\\q\"}", 5, "unknown escape"),
        ("a > on(x) 1", 4, "only allowed between two instant vectors"),
        ("a * on(x) group_left b", 10, "group_left (many-to-one matching) is not supported"),
        ("  ", 0, "empty expression"),
        ("topk(m, m)", 5, "expected a scalar as the first argument of topk"),
        ("sum by (a) (x) by (b)", 15, "already has a by or without clause"),
        ("and", 0, "unexpected \"and\""),
        ("sum by (a", 9, "expected \",\" or \")\""),
    ])
    func malformedExpressionReportsOffsetAndMessage(source: String, offset: Int, message: String) {
        let error = expressionError(source)
        #expect(error?.offset == offset, "\(source): \(error?.message ?? "no error")")
        #expect(error?.message.contains(message) == true, "\(source): \(error?.message ?? "no error")")
    }

    @Test func offsetsCountCharactersAcrossLines() {
        let error = expressionError("factor_variance # comment\n  < )")
        #expect(error?.offset == 30)
        #expect(error?.message.contains("column 31") == true)
    }

    @Test func unknownFunctionWithoutCloseNameHasNoSuggestion() {
        let error = expressionError("zzzzzzzz(x)")
        #expect(error?.message == "unknown function \"zzzzzzzz\" at column 1")
    }
}

@Suite struct TextPositionTests {
    @Test func offsetsMapToLineAndColumn() {
        let source = "max by (factor) (\n  factor_variance\n) < )"
        let error = expressionError(source)
        #expect(error?.offset == 40)
        let position = textPosition(of: error?.offset ?? 0, in: source)
        #expect(position.line == 3 && position.column == 5)
        #expect(textPosition(of: 0, in: source) == (1, 1))
    }
}

@Suite struct ExpressionRobustnessTests {
    @Test func everyPrefixEitherParsesOrPointsInsideTheText() {
        let sources = [
            "max by (factor) (factor_variance{factor=~\"b.*\", date!=\"x\"}) < 0.001 and on(factor) absent(y)",
            "topk(3, sum(a) without (b,)) > bool ignoring(c) clamp(d, -1, 1e3) or vector(time()) unless e",
            "- - (a ^ -2 % 3) / 4 # trailing comment",
        ]
        for source in sources {
            let characters = Array(source)
            for length in 0...characters.count {
                let prefix = String(characters[0..<length])
                if let error = expressionError(prefix) {
                    #expect(error.offset >= 0 && error.offset <= length, "\(prefix): \(error.message)")
                    #expect(error.message.contains("at column \(error.offset + 1)"), "\(prefix): \(error.message)")
                }
            }
            #expect(expressionError(source) == nil)
        }
    }

    @Test func deepNestingFailsCleanly() {
        let deep = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(expressionError(deep)?.message.contains("nested too deeply") == true)
        let negations = String(repeating: "-", count: 5_000) + "1"
        #expect(expressionError(negations)?.message.contains("nested too deeply") == true)
        #expect(expressionError(String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)) == nil)
    }
}
