import FactorWatch
import Testing

@Suite struct ExpressionFunctionTests {
    private let values: [Observation] = [
        Observation("m", ["k": "a"], -2.5), Observation("m", ["k": "b"], 3.14159), Observation("m", ["k": "c"], 12),
    ]

    @Test func absRoundsAndClamps() throws {
        #expect(try evalExpression("abs(m)", values) == ["k=\"a\"": 2.5, "k=\"b\"": 3.14159, "k=\"c\"": 12])
        #expect(try evalExpression("round(m)", values) == ["k=\"a\"": -2, "k=\"b\"": 3, "k=\"c\"": 12])
        #expect(try evalExpression("round(m, 0.01)", values)["k=\"b\""] == 3.14)
        #expect(try evalExpression("round(m, 5)", values)["k=\"c\""] == 10)
        #expect(try evalExpression("clamp_min(m, 0)", values) == ["k=\"a\"": 0, "k=\"b\"": 3.14159, "k=\"c\"": 12])
        #expect(try evalExpression("clamp_max(m, 10)", values) == ["k=\"a\"": -2.5, "k=\"b\"": 3.14159, "k=\"c\"": 10])
        #expect(try evalExpression("clamp(m, 0, 10)", values) == ["k=\"a\"": 0, "k=\"b\"": 3.14159, "k=\"c\"": 10])
        #expect(try evalExpression("clamp(m, 10, 0)", values).isEmpty)
        #expect(try evalExpression("ceil(m)", values)["k=\"b\""] == 4)
        #expect(try evalExpression("floor(m)", values)["k=\"b\""] == 3)
        #expect(try evalExpression("sgn(m)", values) == ["k=\"a\"": -1, "k=\"b\"": 1, "k=\"c\"": 1])
    }

    @Test func timeIsTheEvaluationTime() throws {
        #expect(try evalExpression("time()", [], at: 1_764_000_000) == ["": 1_764_000_000])
        let stamps = [Observation("last_success", ["job": "j"], 1_764_000_000 - 7200)]
        #expect(try evalExpression("time() - last_success > 3600", stamps, at: 1_764_000_000) == ["job=\"j\"": 7200])
    }

    @Test func vectorAndScalarConvert() throws {
        #expect(try evalExpression("vector(1)", []) == ["": 1])
        #expect(try RuleExpression("vector(1)").isScalar == false)
        #expect(try evalExpression("scalar(m{k='c'}) * 2", values) == ["": 24])
        #expect(try evalExpression("scalar(m)", values)[""]?.isNaN == true)
        #expect(try evalExpression("m > scalar(m{k='b'})", values) == ["k=\"c\"": 12])
    }

    @Test func absentIsOneWithEqualityLabelsWhenNothingMatches() throws {
        let rows = [Observation("factor_rows", ["date": "20261123"], 4900)]
        #expect(try evalExpression("absent(factor_rows)", rows).isEmpty)
        #expect(try evalExpression("absent(nothing)", rows) == ["": 1])
        let labelled = try evalExpression("absent(factor_rows{date=\"20261124\", dir=~\"x.*\", job=\"update\"})", rows)
        #expect(labelled == ["date=\"20261124\",job=\"update\"": 1])
        #expect(try evalExpression("absent(factor_rows{a='1', a='2'})", rows) == ["": 1])
    }

    @Test func absentOfAnExpression() throws {
        let rows = [Observation("factor_rows", ["date": "20261123"], 4900)]
        #expect(try evalExpression("absent(factor_rows > 4000)", rows).isEmpty)
        #expect(try evalExpression("absent(factor_rows < 4000)", rows) == ["": 1])
    }

    @Test func unaryMathFunctions() throws {
        let positive = [Observation("p", ["k": "a"], 100)]
        #expect(try evalExpression("log10(p)", positive) == ["k=\"a\"": 2])
        #expect(try evalExpression("sqrt(p)", positive) == ["k=\"a\"": 10])
        #expect(try evalExpression("log2(p / 25)", positive) == ["k=\"a\"": 2])
        #expect(try evalExpression("ln(exp(p / 100))", positive) == ["k=\"a\"": 1])
    }
}
