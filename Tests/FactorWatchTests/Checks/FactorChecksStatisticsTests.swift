import Testing

@testable import FactorWatch

@Suite struct FactorChecksStatisticsTests {
    /// Values with negatives, ties, both zeros, subnormals and wide exponents: what the radix keys must order.
    func awkwardValues(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix(state: seed)
        let pool: [Double] = [0, -0.0, 1, -1, 1e-310, -1e-310, 1e300, -1e300, 0.5, -2.5]
        return (0..<count).map { index in
            index % 3 == 0 ? pool[Int(generator.next() % UInt64(pool.count))]
                : Double(Int64(bitPattern: generator.next()) % 2_000_000) / 1000
        }
    }

    @Test(arguments: [1, 2, 7, 300, 5_000])
    func averageRanksMatchTheDefinition(count: Int) {
        let values = awkwardValues(count, seed: UInt64(count))
        let ranks = averageRanks(values)
        for (index, value) in values.enumerated() {
            let below = values.filter { $0 < value }.count, equal = values.filter { $0 == value }.count
            #expect(ranks[index] == Double(below) + Double(equal + 1) / 2, "\(value)")
        }
    }

    @Test(arguments: [1, 2, 3, 10, 11, 1_001])
    func medianAgreesWithSorting(count: Int) {
        let values = awkwardValues(count, seed: 7 + UInt64(count)).filter { abs($0) < 1e200 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let expected = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        #expect(median(values) == expected)
    }

    @Test func aSingularCorrelationGivesThePerfectCollinearityFigure() {
        let x = (0..<50).map { Double($0 % 7) }, y = (0..<50).map { Double($0 % 5) }
        let vif = varianceInflationFactors([x, y, x.indices.map { x[$0] + 2 * y[$0] }])
        #expect(vif == [perfectCollinearity, perfectCollinearity, perfectCollinearity])
        let independent = try! #require(varianceInflationFactors([x, y]))
        let r = pearson(zip(x, y))!
        #expect(independent.allSatisfy { abs($0 - 1 / (1 - r * r)) < 1e-12 })
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
