import Testing

@testable import Parquet

@Suite("Streaming statistics")
struct StatisticsAccumulatorTests {
    /// Straightforward two-pass reference over the finite values.
    private func reference(_ values: [Double]) -> (mean: Double, variance: Double, min: Double, max: Double) {
        let finite = values.filter(\.isFinite)
        let mean = finite.reduce(0, +) / Double(finite.count)
        let variance = finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(finite.count - 1)
        return (mean, variance, finite.min()!, finite.max()!)
    }

    @Test("blocks of every length, with and without non-finite values, agree with a two-pass reference")
    func blocksAgree() {
        var generator = SplitMix(seed: 7)
        for withSpecials in [false, true] {
            var all: [Double] = []
            var accumulator = StatisticsAccumulator()
            for length in 1...37 {
                var block = (0..<length).map { _ in Double(generator.next() % 10_000) / 100 - 50 }
                if withSpecials && length % 3 == 0 { block[length / 2] = length % 2 == 0 ? .nan : -.infinity }
                all += block
                block.withUnsafeBufferPointer { accumulator.add($0) }
            }
            let stats = accumulator.statistics(name: "x", typeName: "double", isNumeric: true)
            let expected = reference(all)
            #expect(stats.rows == all.count)
            #expect(stats.count == all.filter { !$0.isNaN }.count)
            #expect(stats.infinities == all.filter(\.isInfinite).count)
            #expect(Fixtures.close(stats.mean, expected.mean, tolerance: 1e-12))
            #expect(Fixtures.close(stats.variance, expected.variance, tolerance: 1e-12))
            #expect(stats.min == expected.min && stats.max == expected.max)
        }
    }

    @Test("one value has a mean but no variance; none has neither")
    func tooFewValues() {
        var accumulator = StatisticsAccumulator()
        [Double.nan, 4.0].withUnsafeBufferPointer { accumulator.add($0) }
        accumulator.addNulls(2, rows: 2)
        let stats = accumulator.statistics(name: "x", typeName: "double", isNumeric: true)
        #expect(stats.mean == 4 && stats.variance == nil && stats.std == nil)
        #expect(stats.nulls == 3 && stats.nanCount == 1 && stats.nullFraction == 0.75)
        let empty = StatisticsAccumulator().statistics(name: "x", typeName: "double", isNumeric: true)
        #expect(empty.mean == nil && empty.min == nil && empty.nullFraction == 0)
    }
}
