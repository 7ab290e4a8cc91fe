import FactorWatch
import Testing

@Suite struct ExpressionConcurrencyTests {
    @Test func oneParsedExpressionEvaluatesConcurrently() async throws {
        // A freshly parsed regex is compiled lazily on first use; concurrent first uses must agree.
        let expression = try RuleExpression("factor_variance{factor=~\"(size|beta).*\"} < 0.5")
        let index = ObservationIndex(factorObservations)
        let results = await withTaskGroup(of: [Sample].self) { group in
            for _ in 0..<16 { group.addTask { (try? expression.evaluate(index, at: 0)) ?? [] } }
            var all: [[Sample]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == [Sample(labels: ["factor": "beta", "date": "20261123"], value: 0.0001)] })
    }
}
