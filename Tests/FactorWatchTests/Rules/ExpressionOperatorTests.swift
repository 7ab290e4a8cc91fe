import FactorWatch
import Testing

@Suite struct ExpressionOperatorTests {
    private let abc: [Observation] = [
        Observation("a", ["k": "1"], 2), Observation("a", ["k": "2"], 10),
        Observation("b", ["k": "1"], 3), Observation("b", ["k": "2"], 0.5),
        Observation("c", ["k": "1"], 4), Observation("c", ["k": "3"], 7),
    ]

    @Test(arguments: [
        ("1 + 2 * 3", 7.0), ("(1 + 2) * 3", 9), ("2 ^ 3 ^ 2", 512), ("-2 ^ 2", -4), ("2 ^ -1", 0.5),
        ("10 - 4 - 3", 3), ("12 / 3 / 2", 2), ("7 % 4", 3), ("-7 % 4", -3), ("1e-3 * 1000", 1), (".5 + .25", 0.75),
        ("- - 3", 3), ("+4", 4), ("2 * -3", -6), ("0x10", 16), ("1 > bool 0", 1), ("1 < bool 0", 0),
        ("3 >= bool 3", 1), ("3 <= bool 2", 0), ("2 == bool 2", 1), ("2 != bool 2", 0), ("1 + 2 > bool 2", 1),
    ])
    func scalarArithmeticFollowsPromQLPrecedence(source: String, expected: Double) throws {
        let expression = try RuleExpression(source)
        #expect(expression.isScalar)
        #expect(try expression.evaluate(ObservationIndex([]), at: 0) == [Sample(labels: Labels(), value: expected)])
    }

    @Test func infinityAndNaNLiterals() throws {
        let samples = try RuleExpression("Inf").evaluate(ObservationIndex([]), at: 0)
        #expect(samples.first?.value == .infinity)
        #expect(try RuleExpression("-inf").evaluate(ObservationIndex([]), at: 0).first?.value == -.infinity)
        #expect(try RuleExpression("NaN").evaluate(ObservationIndex([]), at: 0).first?.value.isNaN == true)
    }

    @Test func vectorScalarArithmeticAppliesPerSeries() throws {
        #expect(try evalExpression("a * 2 + 1", abc) == ["k=\"1\"": 5, "k=\"2\"": 21])
        #expect(try evalExpression("100 / a", abc) == ["k=\"1\"": 50, "k=\"2\"": 10])
        #expect(try evalExpression("-a", abc) == ["k=\"1\"": -2, "k=\"2\"": -10])
        #expect(try evalExpression("a ^ 2", abc) == ["k=\"1\"": 4, "k=\"2\"": 100])
        #expect(try evalExpression("a % 3", abc) == ["k=\"1\"": 2, "k=\"2\"": 1])
    }

    @Test func precedenceOfMultiplicationOverAddition() throws {
        // a + b * c: only k=1 exists in all three.
        #expect(try evalExpression("a + b * c", abc) == ["k=\"1\"": 14])
        #expect(try evalExpression("(a + b) * c", abc) == ["k=\"1\"": 20])
    }

    @Test func comparisonFiltersAndKeepsTheVectorValue() throws {
        #expect(try evalExpression("a > 5", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("5 < a", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("a >= 2", abc) == ["k=\"1\"": 2, "k=\"2\"": 10])
        #expect(try evalExpression("a <= 2", abc) == ["k=\"1\"": 2])
        #expect(try evalExpression("a == 10", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("a != 10", abc) == ["k=\"1\"": 2])
    }

    @Test func boolComparisonReturnsZeroOrOne() throws {
        #expect(try evalExpression("a > bool 5", abc) == ["k=\"1\"": 0, "k=\"2\"": 1])
        #expect(try evalExpression("a > bool b", abc) == ["k=\"1\"": 0, "k=\"2\"": 1])
    }

    @Test func vectorVectorMatchesIdenticalLabelSets() throws {
        #expect(try evalExpression("a - b", abc) == ["k=\"1\"": -1, "k=\"2\"": 9.5])
        // Filter keeps the left operand's value.
        #expect(try evalExpression("a > b", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("a < c", abc) == ["k=\"1\"": 2])
    }

    @Test func vectorVectorMatchingWithOnAndIgnoring() throws {
        let observations = [
            Observation("used", ["path": "/data", "host": "h1"], 90),
            Observation("used", ["path": "/backup", "host": "h1"], 10),
            Observation("limit", ["path": "/data"], 85),
            Observation("limit", ["path": "/backup"], 50),
        ]
        #expect(try evalExpression("used > limit", observations).isEmpty)
        #expect(try evalExpression("used > on(path) limit", observations) == ["path=\"/data\"": 90])
        #expect(try evalExpression("used > ignoring(host) limit", observations) == ["path=\"/data\"": 90])
        let difference = try evalExpression("used - on(path) limit", observations)
        #expect(difference == ["path=\"/data\"": 5, "path=\"/backup\"": -40])
    }

    @Test func setOperators() throws {
        #expect(try evalExpression("a and c", abc) == ["k=\"1\"": 2])
        #expect(try evalExpression("a unless c", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("a or c", abc) == ["k=\"1\"": 2, "k=\"2\"": 10, "k=\"3\"": 7])
        #expect(try evalExpression("c or a", abc) == ["k=\"1\"": 4, "k=\"2\"": 10, "k=\"3\"": 7])
    }

    @Test func setOperatorsWithOnAndIgnoring() throws {
        let observations = [
            Observation("x", ["a": "1", "b": "1"], 1), Observation("x", ["a": "2", "b": "1"], 2),
            Observation("y", ["a": "1", "b": "9"], 5),
        ]
        #expect(try evalExpression("x and y", observations).isEmpty)
        #expect(try evalExpression("x and on(a) y", observations) == ["a=\"1\",b=\"1\"": 1])
        #expect(try evalExpression("x unless ignoring(b) y", observations) == ["a=\"2\",b=\"1\"": 2])
        #expect(try evalExpression("x or on(a) y", observations).count == 2)
    }

    @Test func setOperatorPrecedenceAndBindsTighterThanOr() throws {
        // (a > 1 and b < 2) or c: a>1 keeps k1,k2; b<2 keeps k2; and → k2; or c adds k1 (c), k3.
        let result = try evalExpression("a > 1 and b < 2 or c", abc)
        #expect(result == ["k=\"2\"": 10, "k=\"1\"": 4, "k=\"3\"": 7])
        // or binds loosest even when written first.
        #expect(try evalExpression("c or a > 5 and b < 1", abc) == ["k=\"1\"": 4, "k=\"2\"": 10, "k=\"3\"": 7])
        #expect(try evalExpression("a unless b > 1 or c", abc) == ["k=\"2\"": 10, "k=\"1\"": 4, "k=\"3\"": 7])
    }

    @Test func comparisonBindsLooserThanArithmetic() throws {
        #expect(try evalExpression("a > b * 4", abc) == ["k=\"2\"": 10])
        #expect(try evalExpression("a + 1 > 3", abc) == ["k=\"2\"": 11])
    }

    @Test func nanComparesFalse() throws {
        let observations = [Observation("m", ["k": "nan"], .nan), Observation("m", ["k": "one"], 1)]
        #expect(try evalExpression("m > 0", observations) == ["k=\"one\"": 1])
        #expect(try evalExpression("m < 0", observations).isEmpty)
        #expect(try evalExpression("m == m", observations) == ["k=\"one\"": 1])
        #expect(try evalExpression("m != 1", observations).keys.sorted() == ["k=\"nan\""])
        #expect(try evalExpression("m > bool 0", observations) == ["k=\"nan\"": 0, "k=\"one\"": 1])
        #expect(try evalExpression("m + 1", observations)["k=\"nan\""]?.isNaN == true)
    }

    @Test func divisionByZeroGivesInfinity() throws {
        #expect(try evalExpression("a / 0", abc) == ["k=\"1\"": .infinity, "k=\"2\"": .infinity])
    }
}
