import Foundation
import Testing

@testable import Parquet

/// Files written by pandas, polars and pyarrow that stretch the reader (scripts/reader_cases.py), against
/// pandas' own statistics of the same files.
@Suite struct ReaderCaseTests {
    struct Figures: Decodable {
        var rows: Int
        var nulls: Int
        var mean: Double?
        var std: Double?
    }

    /// Writes the files into a fresh directory and returns it with pandas' figures.
    static func cases() throws -> (String, [String: [String: Figures]]) {
        let dir = FileManager.default.temporaryDirectory.path + "/reader-cases-\(UUID().uuidString.prefix(8))"
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/reader_cases.py", dir]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pandas, polars and pyarrow are needed: bash scripts/install-deps.sh")
        return (dir, try JSONDecoder().decode([String: [String: Figures]].self, from: data))
    }

    @Test func everyCaseHasPandasStatistics() throws {
        let (dir, expected) = try Self.cases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(expected.count == 6)
        for (file, columns) in expected.sorted(by: { $0.key < $1.key }) {
            let table = try ParquetFile(path: dir + "/" + file)
            for stats in try table.statistics() {
                let theirs = try #require(columns[stats.name], "\(file) \(stats.name)")
                #expect(stats.rows == theirs.rows && stats.nulls == theirs.nulls, "\(file) \(stats.name) nulls")
                #expect(Fixtures.close(stats.mean, theirs.mean, tolerance: 1e-12), "\(file) \(stats.name) mean")
                #expect(Fixtures.close(stats.std, theirs.std, tolerance: 1e-12), "\(file) \(stats.name) std")
            }
        }
    }

    @Test func unusedCategoriesAreReadAsTheirValues() throws {
        let (dir, _) = try Self.cases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for file in ["categorical.parquet", "enum.parquet"] {
            let values = try ParquetFile(path: dir + "/" + file).readStrings(column: "industry")
            #expect(values.count == 18 && values[3] == nil)
            #expect(values[0] == "cat_00" && values[13] == "cat_01" && values[17] == "cat_05")
        }
    }

    @Test func halfFloatNaNIsMissing() throws {
        let (dir, _) = try Self.cases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let values = try ParquetFile(path: dir + "/half.parquet").readDoubles(column: "h")
        #expect(values.map { $0.isNaN ? 99 : $0 } == [1.5, 99, 99, -2.25, 0.5, 99])
    }
}
