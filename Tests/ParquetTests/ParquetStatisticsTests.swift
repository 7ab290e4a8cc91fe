import Foundation
import Testing

@testable import Parquet

@Suite("Parquet statistics match pandas")
struct ParquetStatisticsTests {
    @Test("every column of every writer's file matches pandas", arguments: Fixtures.parquetNames)
    func statisticsMatchPandas(name: String) throws {
        let file = try ParquetFile(path: Fixtures.path(name))
        let expected = try #require(Fixtures.expected.files[name])
        #expect(file.rowCount == expected.rows)
        let problems = Fixtures.mismatches(try file.statistics(columns: nil), expected, file: name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("statistics of selected columns come back in the order asked")
    func selectedColumns() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_zstd_v2.parquet"))
        let stats = try file.statistics(columns: ["i32", "ts_code"])
        #expect(stats.map(\.name) == ["i32", "ts_code"])
    }

    @Test("an unknown column is an error listing the columns")
    func unknownColumn() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_zstd_v2.parquet"))
        let error = #expect(throws: ParquetError.self) { try file.statistics(columns: ["nope"]) }
        #expect(error?.kind == .unknownColumn)
        #expect(error?.description.contains("ts_code") == true)
    }

    @Test("a column of 1e9 ± 1e-3 keeps its variance")
    func largeOffsetVariance() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_none_v1.parquet"))
        let values = try file.readDoubles(column: "f_big")
        // Exact reference: deviations from a nearby constant are exact in binary floating point.
        let shift = 1e9
        let deviations = values.map { $0 - shift }
        let mean = deviations.reduce(0, +) / Double(deviations.count)
        let variance = deviations.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(deviations.count - 1)
        let stats = try #require(try file.statistics(columns: ["f_big"]).first)
        #expect(Fixtures.close(stats.variance, variance, tolerance: 1e-9))
    }
}
