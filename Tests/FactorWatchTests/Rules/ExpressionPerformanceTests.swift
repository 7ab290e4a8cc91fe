import FactorWatch
import Testing

@Suite struct ExpressionPerformanceTests {
    @Test func fiftyRulesOverFiveThousandObservationsAreFast() throws {
        var observations: [Observation] = []
        let factors = (0..<40).map { "factor\($0)" }
        for metric in ["factor_variance", "factor_mean", "factor_std", "factor_missing_fraction"] {
            for factor in factors {
                for date in 0..<30 {
                    observations.append(Observation(metric, ["factor": factor, "date": "202611\(date)"],
                                                    Double((date * 7 + factor.count) % 13) / 10))
                }
            }
        }
        for index in 0..<200 { observations.append(Observation("disk_used_percent", ["path": "/p\(index)"], 50)) }
        #expect(observations.count >= 5_000)
        let templates = [
            "factor_variance < 0.001", "factor_missing_fraction{factor=~\"factor1.*\"} > 0.2",
            "max by (factor) (factor_mean) > 1", "factor_std / on(factor, date) factor_mean > 2",
            "count(factor_variance) by (date) < 40", "absent(factor_rows)", "disk_used_percent > 90",
            "avg(factor_mean) without (date) unless factor_variance > 1", "topk(3, factor_variance)",
            "factor_variance > bool 0.5 and factor_mean < 1 or factor_std",
        ]
        let rules = try (0..<50).map { try RuleExpression(templates[$0 % templates.count]) }
        let clock = ContinuousClock()
        var kept = 0
        let elapsed = try clock.measure {
            let index = ObservationIndex(observations)
            for rule in rules { kept += try rule.evaluate(index, at: 1_764_000_000).count }
        }
        #expect(kept > 0)
        // A guard against a blow-up (a quadratic join), not a speed claim: bench/eval_bench.py measures speed.
        // The bound leaves room for a debug build on a machine busy with the rest of the suite.
        #expect(elapsed < .seconds(5), "50 rules over \(observations.count) observations took \(elapsed)")
    }
}

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
