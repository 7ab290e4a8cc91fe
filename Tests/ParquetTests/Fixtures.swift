import Foundation

@testable import Parquet

/// The committed fixtures and pandas' statistics for them (scripts/parquet_fixtures.py).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { directory + "/" + name }

    struct Expected: Decodable {
        var files: [String: FileStatistics]
        var corrupt: [String: String]
        var values: [String: ColumnValues]
    }

    struct ColumnValues: Decodable {
        var ts_code: [String?]
        var f_norm: [String]
    }

    struct FileStatistics: Decodable {
        var rows: Int
        var columns: [Column]
    }

    struct Column: Decodable {
        var name: String
        var type: String?
        var rows: Int
        var count: Int
        var nulls: Int
        var null_fraction: Double
        var numeric: Bool
        var infinities: Int?
        var mean: Double?
        var variance: Double?
        var variance_exact: Double?
        var std: Double?
        var min: Double?
        var max: Double?
    }

    static let expected: Expected = {
        let data = FileManager.default.contents(atPath: path("expected.json"))!
        return try! JSONDecoder().decode(Expected.self, from: data)
    }()

    static var parquetNames: [String] { expected.files.keys.filter { $0.hasSuffix(".parquet") }.sorted() }
    static var csvNames: [String] { expected.files.keys.filter { $0.hasSuffix(".csv") }.sorted() }
    static var corruptNames: [String] { expected.corrupt.keys.sorted() }
    static var valueNames: [String] { expected.values.keys.sorted() }

    /// Relative closeness, with an absolute floor for values that should be zero.
    static func close(_ actual: Double?, _ expected: Double?, tolerance: Double = 1e-9) -> Bool {
        switch (actual, expected) {
        case (nil, nil): return true
        case (let a?, let e?):
            if a == e { return true }
            return abs(a - e) <= tolerance * max(abs(a), abs(e)) || abs(a - e) < 1e-300
        default: return false
        }
    }

    static func relativeError(_ a: Double?, _ b: Double?) -> Double {
        guard let a, let b, a != b else { return 0 }
        return abs(a - b) / Swift.max(abs(a), abs(b))
    }

    /// Every mismatch between our statistics and pandas', described.
    static func mismatches(_ actual: [ColumnStatistics], _ expected: FileStatistics, file: String) -> [String] {
        var problems: [String] = []
        guard actual.count == expected.columns.count else {
            return ["\(file): \(actual.count) columns, expected \(expected.columns.count)"]
        }
        for (ours, theirs) in zip(actual, expected.columns) {
            func check(_ what: String, _ ok: Bool, _ detail: String) {
                if !ok { problems.append("\(file) \(theirs.name) \(what): \(detail)") }
            }
            check("name", ours.name == theirs.name, ours.name)
            if let type = theirs.type { check("type", ours.typeName == type, "\(ours.typeName) vs \(type)") }
            check("rows", ours.rows == theirs.rows, "\(ours.rows) vs \(theirs.rows)")
            check("count", ours.count == theirs.count, "\(ours.count) vs \(theirs.count)")
            check("nulls", ours.nulls == theirs.nulls, "\(ours.nulls) vs \(theirs.nulls)")
            check(
                "null_fraction", ours.nullFraction == theirs.null_fraction,
                "\(ours.nullFraction) vs \(theirs.null_fraction)")
            check("numeric", ours.isNumeric == theirs.numeric, "\(ours.isNumeric)")
            guard theirs.numeric else {
                // Booleans and decimals have a mean as pandas gives it (ReaderCaseTests); the rest none.
                let summarised = ours.typeName == "bool" || ours.typeName.hasPrefix("decimal")
                check("no numbers", summarised || ours.mean == nil && ours.variance == nil,
                      "\(String(describing: ours.mean))")
                continue
            }
            check("infinities", ours.infinities == theirs.infinities, "\(ours.infinities)")
            check(
                "mean", close(ours.mean, theirs.mean),
                "\(String(describing: ours.mean)) vs \(String(describing: theirs.mean))")
            // pandas' variance can itself be ~1e-9 off the exact one (a column of 1e9 ± 1e-3): ours
            // must match the exact value to 1e-12 and pandas to 1e-9 or pandas' own error, if larger.
            let pandasError = relativeError(theirs.variance, theirs.variance_exact)
            let tolerance = Swift.max(1e-9, 2 * pandasError)
            check(
                "variance (exact)", close(ours.variance, theirs.variance_exact, tolerance: 1e-12),
                "\(String(describing: ours.variance)) vs \(String(describing: theirs.variance_exact))")
            check(
                "variance", close(ours.variance, theirs.variance, tolerance: tolerance),
                "\(String(describing: ours.variance)) vs \(String(describing: theirs.variance))")
            check(
                "std", close(ours.std, theirs.std, tolerance: tolerance),
                "\(String(describing: ours.std)) vs \(String(describing: theirs.std))")
            check("min", ours.min == theirs.min, "\(String(describing: ours.min)) vs \(String(describing: theirs.min))")
            check("max", ours.max == theirs.max, "\(String(describing: ours.max)) vs \(String(describing: theirs.max))")
        }
        return problems
    }
}
