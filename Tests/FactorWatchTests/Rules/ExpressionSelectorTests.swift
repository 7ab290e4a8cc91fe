import FactorWatch
import Testing

@Suite struct ExpressionSelectorTests {
    @Test func bareMetricSelectsEverySeriesOfThatMetric() throws {
        let result = try evalExpression("disk_used_percent", factorObservations)
        #expect(result == ["path=\"/data\"": 93, "path=\"/backup\"": 40])
    }

    @Test func unknownMetricSelectsNothing() throws {
        #expect(try evalExpression("no_such_metric", factorObservations).isEmpty)
    }

    @Test func equalityMatcher() throws {
        let result = try evalExpression("factor_variance{factor=\"beta\"}", factorObservations)
        #expect(result == ["date=\"20261123\",factor=\"beta\"": 0.0001])
    }

    @Test func inequalityMatcher() throws {
        let result = try evalExpression("factor_variance{factor!='beta'}", factorObservations)
        #expect(Set(result.keys) == ["date=\"20261123\",factor=\"size\"", "date=\"20261123\",factor=\"momentum\""])
    }

    @Test func regexMatcherIsAnchoredAtBothEnds() throws {
        let result = try evalExpression("factor_variance{factor=~\"s|mom\"}", factorObservations)
        #expect(result.isEmpty)
        let full = try evalExpression("factor_variance{factor=~\"si.e|mom.*\"}", factorObservations)
        #expect(full.count == 2)
    }

    @Test func negativeRegexMatcher() throws {
        let result = try evalExpression("factor_variance{factor!~\"s.*|b.*\"}", factorObservations)
        #expect(result == ["date=\"20261123\",factor=\"momentum\"": 0.5])
    }

    @Test func missingLabelMatchesAsEmptyString() throws {
        let observations = [Observation("m", ["a": "1"], 1), Observation("m", ["a": "1", "b": "x"], 2)]
        #expect(try evalExpression("m{b=\"\"}", observations) == ["a=\"1\"": 1])
        #expect(try evalExpression("m{b!=\"\"}", observations) == ["a=\"1\",b=\"x\"": 2])
    }

    @Test func severalMatchersMustAllHold() throws {
        let result = try evalExpression("factor_variance{factor=~\".*e.*\", factor!=\"beta\", date=\"20261123\"}",
                                        factorObservations)
        #expect(result == ["date=\"20261123\",factor=\"size\"": 0.8, "date=\"20261123\",factor=\"momentum\"": 0.5])
    }

    @Test func stringEscapesInLabelValues() throws {
        let observations = [Observation("m", ["p": "a\"b\\c\nd"], 1), Observation("m", ["p": "plain"], 2)]
        #expect(try evalExpression("m{p=\"a\\\"b\\\\c\\nd\"}", observations).count == 1)
        #expect(try evalExpression("m{p='plain',}", observations).count == 1)
    }

    @Test func laterObservationOfTheSameSeriesWins() throws {
        let observations = [Observation("m", ["a": "1"], 1), Observation("m", ["a": "1"], 5)]
        #expect(try evalExpression("m", observations) == ["a=\"1\"": 5])
    }

    @Test func commentsAreIgnored() throws {
        let result = try evalExpression("disk_used_percent # the disks\n > 90 # only full ones", factorObservations)
        #expect(result == ["path=\"/data\"": 93])
    }

    @Test func selectedMetricsListsEverySelector() throws {
        let expression = try RuleExpression("max(a{x=\"1\"}) by (x) > on(x) b or absent(c) unless vector(1)")
        #expect(expression.selectedMetrics == ["a", "b", "c"])
        #expect(expression.source.hasPrefix("max(a"))
    }
}
