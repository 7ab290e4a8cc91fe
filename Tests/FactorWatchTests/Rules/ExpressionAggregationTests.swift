import FactorWatch
import Testing

@Suite struct ExpressionAggregationTests {
    private let series: [Observation] = [
        Observation("v", ["group": "g1", "name": "x", "date": "d"], 1),
        Observation("v", ["group": "g1", "name": "y", "date": "d"], 4),
        Observation("v", ["group": "g2", "name": "z", "date": "d"], 10),
        Observation("v", ["group": "g2", "name": "w", "date": "d"], .nan),
    ]

    @Test(arguments: [("sum", 5.0, Double.nan), ("max", 4, 10), ("min", 1, 10), ("count", 2, 2), ("avg", 2.5, .nan)])
    func aggregationsByGroupInBothPositions(op: String, g1: Double, g2: Double) throws {
        for source in ["\(op) by (group) (v)", "\(op)(v) by (group)", "\(op) without (name, date) (v)",
                       "\(op)(v) without (name,date,)"] {
            let result = try evalExpression(source, series)
            #expect(result.count == 2, "\(source)")
            #expect(same(result["group=\"g1\""], g1), "\(source)")
            #expect(same(result["group=\"g2\""], g2), "\(source)")
        }
    }

    @Test func aggregationWithoutGroupingYieldsOneUnlabelledSeries() throws {
        #expect(try evalExpression("max(v{group=\"g1\"})", series) == ["": 4])
        #expect(try evalExpression("count(v)", series) == ["": 4])
        #expect(try evalExpression("sum(v{group='g1'}) * 2", series) == ["": 10])
    }

    @Test func aggregationOfNothingIsNothing() throws {
        #expect(try evalExpression("sum(missing)", series).isEmpty)
        #expect(try evalExpression("count(v > 100)", series).isEmpty)
    }

    @Test func maxAndMinIgnoreNaNUnlessAllAreNaN() throws {
        #expect(try evalExpression("max(v{group='g2'})", series) == ["": 10])
        #expect(try evalExpression("min(v{group='g2'})", series) == ["": 10])
        #expect(try evalExpression("max(v{name='w'})", series)[""]?.isNaN == true)
    }

    @Test func groupByALabelNoSeriesHasFormsTheEmptyGroup() throws {
        #expect(try evalExpression("sum by (nope) (v{group='g1'})", series) == ["": 5])
    }

    @Test func topkAndBottomkKeepOriginalLabels() throws {
        let top = try evalExpression("topk(1, v) by (group)", series)
        #expect(top == ["date=\"d\",group=\"g1\",name=\"y\"": 4, "date=\"d\",group=\"g2\",name=\"z\"": 10])
        let bottom = try evalExpression("bottomk(2, v)", series)
        #expect(bottom == ["date=\"d\",group=\"g1\",name=\"x\"": 1, "date=\"d\",group=\"g1\",name=\"y\"": 4])
        #expect(try evalExpression("topk(0, v)", series).isEmpty)
    }

    @Test func stddevAndStdvarArePopulationStatistics() throws {
        let result = try evalExpression("stdvar(v{group='g1'})", series)
        #expect(result == ["": 2.25])
        #expect(try evalExpression("stddev(v{group='g1'})", series) == ["": 1.5])
    }

    @Test func aggregateThenCompare() throws {
        let result = try evalExpression("max by (group) (v) > 5", series)
        #expect(result == ["group=\"g2\"": 10])
    }

    private func same(_ actual: Double?, _ expected: Double) -> Bool {
        guard let actual else { return false }
        return actual == expected || (actual.isNaN && expected.isNaN)
    }
}
