import Foundation
import Testing

@testable import Parquet

@Suite("Damaged and hostile Parquet files are rejected with a located error")
struct CorruptFileTests {
    /// Opens the file and reads every column fully, the way `inspect` and the collector do.
    private func readEverything(_ path: String) throws {
        let file = try ParquetFile(path: path)
        _ = try file.statistics(columns: nil)
        for column in file.columns {
            if column.isNumeric { _ = try file.readDoubles(column: column.name) }
            if column.typeName == "string" { _ = try file.readStrings(column: column.name) }
        }
    }

    @Test("each corrupt fixture throws the error it was made for", arguments: Fixtures.corruptNames)
    func corruptFixtureThrows(name: String) throws {
        let expected = try #require(Fixtures.expected.corrupt[name])
        let error = #expect(throws: ParquetError.self) { try readEverything(Fixtures.path(name)) }
        let text = error?.description ?? ""
        #expect(text.contains(expected), "\(text)")
        #expect(text.contains(name), "the message names the file: \(text)")
    }

    @Test("errors inside a column chunk name the column and the page's byte offset")
    func pageErrorsAreLocated() throws {
        let error = #expect(throws: ParquetError.self) {
            try readEverything(Fixtures.path("bad_dictionary_index.parquet"))
        }
        #expect(error?.column == "x")
        #expect(error?.offset != nil && error!.offset! >= 4)
        #expect(error?.description.contains("at byte") == true)
    }

    @Test("a missing file is an I/O error naming it")
    func missingFile() {
        let error = #expect(throws: ParquetError.self) { try ParquetFile(path: "/nonexistent/f.parquet") }
        #expect(error?.kind == .io)
        #expect(error?.description.contains("/nonexistent/f.parquet") == true)
    }

    @Test("every truncation of a valid file either reads or throws, never crashes")
    func everyTruncationIsHandled() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("raw_unknown_fields.parquet")))
        let directory = try TemporaryDirectory()
        for length in stride(from: 0, to: data.count, by: 7) {
            let path = directory.path + "/cut\(length).parquet"
            try data.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: ParquetError.self) { try readEverything(path) }
        }
    }

    @Test(
        "single-byte corruptions anywhere in small files never crash the reader",
        arguments: [
            "raw_unknown_fields.parquet", "pyarrow_encodings_v2.parquet", "duckdb_snappy_v2.parquet",
            "raw_bitwidth0.parquet",
        ])
    func byteFlipsAreHandled(name: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name)))
        let directory = try TemporaryDirectory()
        var generator = SplitMix(seed: 42)
        var rejected = 0
        let trials = 100
        for trial in 0..<trials {
            var data = original
            // Favour the footer and page headers, where lies do the most damage.
            let position =
                trial % 2 == 0
                ? Int(generator.next() % UInt64(data.count))
                : data.count - 9 - Int(generator.next() % UInt64(min(600, data.count - 9)))
            data[position] = UInt8(truncatingIfNeeded: generator.next())
            let path = directory.path + "/flip\(trial).parquet"
            try data.write(to: URL(fileURLWithPath: path))
            do { try readEverything(path) } catch is ParquetError { rejected += 1 }
        }
        #expect(rejected > 0)
    }
}

/// A small deterministic generator, so a failing corruption can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A directory of its own for each test, removed afterwards.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "parquet-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Only the requested columns are read")
struct ColumnIsolationTests {
    @Test("a damaged column chunk does not stop the other columns from reading")
    func otherColumnsStillRead() throws {
        let file = try ParquetFile(path: Fixtures.path("bad_one_column.parquet"))
        let stats = try file.statistics(columns: ["ts_code", "i32", "f_big"])
        let good = try ParquetFile(path: Fixtures.path("pyarrow_plain.parquet")).statistics(columns: [
            "ts_code", "i32", "f_big",
        ])
        #expect(stats == good)
        let error = #expect(throws: ParquetError.self) { try file.statistics(columns: ["f_norm"]) }
        #expect(error?.column == "f_norm")
    }
}
