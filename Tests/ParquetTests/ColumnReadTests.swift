import Foundation
import Testing

@testable import Parquet

@Suite("Reading one column's values")
struct ColumnReadTests {
    @Test("doubles come back row by row, NaN for null, as pyarrow reads them", arguments: Fixtures.valueNames)
    func doublesMatchPyarrow(name: String) throws {
        let expected = try #require(Fixtures.expected.values[name]).f_norm
        let values = try ParquetFile(path: Fixtures.path(name)).readDoubles(column: "f_norm")
        #expect(values.count == expected.count)
        for (row, (ours, text)) in zip(values, expected).enumerated() {
            let theirs = text == "None" ? Double.nan : Double(text)!
            let same = ours == theirs || (ours.isNaN && theirs.isNaN)
            #expect(same, "row \(row): \(ours) vs \(text)")
            if !same { break }
        }
    }

    @Test("strings come back row by row, nil for null", arguments: Fixtures.valueNames)
    func stringsMatchPandas(name: String) throws {
        let expected = try #require(Fixtures.expected.values[name]).ts_code
        let values = try ParquetFile(path: Fixtures.path(name)).readStrings(column: "ts_code")
        #expect(values == expected)
    }

    @Test("descriptors name types as Arrow does and flag the pandas index")
    func descriptors() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_pandas_index.parquet"))
        let index = try #require(file.column(named: "__index_level_0__"))
        #expect(index.isPandasIndex)
        #expect(index.typeName == "string")
        #expect(file.column(named: "f_norm")?.isPandasIndex == false)
        let types = try ParquetFile(path: Fixtures.path("pyarrow_zstd_v1.parquet")).columns
        let byName = Dictionary(uniqueKeysWithValues: types.map { ($0.name, $0) })
        #expect(byName["f_norm"]?.typeName == "double")
        #expect(byName["f_norm"]?.isNumeric == true)
        #expect(byName["f_norm"]?.isOptional == true)
        #expect(byName["dec"]?.typeName == "decimal(10,2)")
        #expect(byName["dec"]?.isNumeric == false)
        #expect(byName["ts_ns"]?.typeName == "timestamp[ns]")
        #expect(byName["flag"]?.typeName == "bool")
        #expect(byName["u32"]?.typeName == "uint32")
    }

    @Test("decimals and unsigned integers read as their numeric values")
    func decimalsAndUnsigned() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_snappy_v2.parquet"))
        let decimals = try file.readDoubles(column: "dec")
        #expect(decimals.count == 600)
        #expect(decimals[0].isNaN)  // every 17th row is null
        #expect(decimals.allSatisfy { $0.isNaN || (abs($0) < 10_000 && abs(($0 * 100).rounded() - $0 * 100) < 1e-6) })
        #expect(decimals.contains { !$0.isNaN && $0 != $0.rounded() })
        let unsigned = try file.readDoubles(column: "u32")
        #expect(unsigned.allSatisfy { $0 >= 0 })
        #expect(unsigned.max()! > Double(Int32.max))
    }

    @Test("reading a numeric column as strings is refused with the column's type")
    func wrongKind() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_zstd_v1.parquet"))
        let error = #expect(throws: ParquetError.self) { try file.readStrings(column: "f_norm") }
        #expect(error?.description.contains("double") == true)
        #expect(throws: ParquetError.self) { try file.readDoubles(column: "ts_code") }
    }

    @Test("an empty table has columns and no rows")
    func emptyTable() throws {
        let file = try ParquetFile(path: Fixtures.path("pyarrow_empty.parquet"))
        #expect(file.rowCount == 0)
        #expect(try file.readDoubles(column: "f_norm").isEmpty)
        let stats = try file.statistics(columns: ["f_norm"])
        #expect(stats.first?.nullFraction == 0 && stats.first?.mean == nil)
    }

    @Test("the nested-schema error names the nested column")
    func nestedSchema() {
        let error = #expect(throws: ParquetError.self) { try ParquetFile(path: Fixtures.path("bad_nested.parquet")) }
        #expect(error?.kind == .unsupported)
        #expect(error?.column == "exposures")
    }
}
