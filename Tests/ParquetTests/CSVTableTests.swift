import Foundation
import Testing

@testable import Parquet

@Suite("CSV factor files")
struct CSVTableTests {
    @Test("statistics match pandas read_csv", arguments: Fixtures.csvNames)
    func statisticsMatchPandas(name: String) throws {
        let table = try CSVTable(path: Fixtures.path(name))
        let expected = try #require(Fixtures.expected.files[name])
        #expect(table.rowCount == expected.rows)
        let problems = Fixtures.mismatches(try table.statistics(columns: nil), expected, file: name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("quoted fields keep commas, quotes and newlines; missing markers become nil")
    func quoting() throws {
        let table = try CSVTable(path: Fixtures.path("quoted.csv"))
        #expect(try table.readStrings(column: "name") == ["Ping An, Bank", "Vanke \"A\"", nil, "multi\nline", nil])
        let beta = try table.readDoubles(column: "beta")
        #expect(beta[0] == 1.5 && beta[1].isNaN && beta[2] == .infinity && beta[3].isNaN && beta[4] == 2.25)
        #expect(table.column(named: "size")?.typeName == "double")
        #expect(table.column(named: "name")?.isNumeric == false)
    }

    @Test("a factor table opens by extension and behaves the same either way")
    func openByExtension() throws {
        let csv = try openFactorTable(path: Fixtures.path("factors.csv"))
        let parquet = try openFactorTable(path: Fixtures.path("pyarrow_gzip_v1.parquet"))
        #expect(csv is CSVTable)
        #expect(parquet is ParquetFile)
        let a = try csv.statistics(columns: ["f_norm"])[0]
        let b = try parquet.statistics(columns: ["f_norm"])[0]
        #expect(a.count == b.count && a.nulls == b.nulls && a.infinities == b.infinities)
        #expect(Fixtures.close(a.variance, b.variance, tolerance: 1e-12))
        #expect(try csv.readStrings(column: "ts_code") == parquet.readStrings(column: "ts_code"))
    }

    @Test("a row with too many fields is an error naming the line")
    func ragged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/ragged.csv"
        try "a,b\n1,2\n3,4,5\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ParquetError.self) { try CSVTable(path: path) }
        #expect(error?.description.contains("line 3") == true)
        #expect(error?.description.contains(path) == true)
    }

    @Test("an unclosed quote is an error naming the line it opened on")
    func unclosedQuote() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/open.csv"
        try "a,b\n1,\"2\n3,4\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ParquetError.self) { try CSVTable(path: path) }
        #expect(error?.description.contains("line 2") == true)
    }
}
