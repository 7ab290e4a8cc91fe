/// A CSV factor file: a header row, comma-separated fields, RFC 4180 quoting. Missing values follow
/// pandas' defaults (empty, NA, NaN, null, None, N/A, …); a column whose present values all parse as
/// numbers is numeric, as `read_csv` would infer. The file is parsed once, when opened.
public struct CSVTable: FactorTable {
    public let path: String
    public let rowCount: Int
    public let columns: [ColumnDescriptor]
    private let numbers: [[Double]?]
    private let texts: [[String?]]

    /// pandas' default `na_values`.
    static let missingMarkers: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    public init(path: String) throws {
        let source = try FileSource(path: path)
        var bytes: [UInt8] = []
        try source.read(offset: 0, count: source.size, into: &bytes)
        let records: [[CSVField]]
        do { records = try CSVRecords.parse(bytes) } catch {
            throw ParquetError(.corrupt, "line \(error.line): \(error.message)", file: path)
        }
        guard let header = records.first?.map(\.text) else {
            throw ParquetError(.corrupt, "empty CSV file: no header row", file: path)
        }
        self.path = path
        var cells = [[String?]](repeating: [], count: header.count)
        for row in records.dropFirst() {
            if row.count == 1 && row[0].text.isEmpty && header.count > 1 { continue }  // blank line
            guard row.count <= header.count else {
                throw ParquetError(
                    .corrupt, "line \(row[0].line): expected \(header.count) fields, saw \(row.count)",
                    file: path)
            }
            for column in 0..<header.count {
                let text = column < row.count ? row[column].text : ""
                cells[column].append(Self.missingMarkers.contains(text) ? nil : text)
            }
        }
        rowCount = cells.first?.count ?? 0
        var descriptors: [ColumnDescriptor] = []
        var numbers: [[Double]?] = []
        for (name, values) in zip(header, cells) {
            let (typeName, parsed) = Self.infer(values)
            descriptors.append(
                ColumnDescriptor(
                    name: name, physicalType: "TEXT", typeName: typeName,
                    isNumeric: parsed != nil, isOptional: true))
            numbers.append(parsed)
        }
        self.columns = descriptors
        self.numbers = numbers
        self.texts = cells
    }

    /// The type pandas would give the column, with its numbers when numeric.
    private static func infer(_ values: [String?]) -> (String, [Double]?) {
        var parsed: [Double] = []
        parsed.reserveCapacity(values.count)
        var allIntegers = true
        var anyMissing = false
        for value in values {
            guard let value else {
                anyMissing = true
                parsed.append(.nan)
                continue
            }
            guard let number = parseNumber(value) else {
                let booleans: Set<String> = ["True", "False", "true", "false", "TRUE", "FALSE"]
                let isBool = values.allSatisfy { $0.map(booleans.contains) ?? false }
                return (isBool ? "bool" : "string", nil)
            }
            if allIntegers && Int64(value) == nil { allIntegers = false }
            parsed.append(number)
        }
        return (allIntegers && !anyMissing && !values.isEmpty ? "int64" : "double", parsed)
    }

    private static func parseNumber(_ text: String) -> Double? {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let first = trimmed.utf8.first, first != UInt8(ascii: " "), !trimmed.lowercased().hasPrefix("0x"),
            !trimmed.lowercased().hasPrefix("-0x")
        else { return nil }
        return Double(trimmed)
    }

    private func index(of name: String) throws -> Int {
        guard let index = columns.firstIndex(where: { $0.name == name }) else {
            let names = columns.map(\.name).joined(separator: ", ")
            throw ParquetError(.unknownColumn, "no column \"\(name)\" (columns: \(names))", file: path)
        }
        return index
    }

    public func statistics(columns names: [String]? = nil) throws -> [ColumnStatistics] {
        let indices = try names.map { try $0.map(index(of:)) } ?? Array(columns.indices)
        return indices.map { index in
            var accumulator = StatisticsAccumulator()
            let column = columns[index]
            if let values = numbers[index] {
                let present = values.filter { !$0.isNaN }
                accumulator.addNulls(values.count - present.count, rows: values.count - present.count)
                present.withUnsafeBufferPointer { accumulator.add($0) }
            } else {
                let missing = texts[index].reduce(0) { $0 + ($1 == nil ? 1 : 0) }
                accumulator.addNulls(missing, rows: rowCount)
            }
            return accumulator.statistics(name: column.name, typeName: column.typeName, isNumeric: column.isNumeric)
        }
    }

    public func readDoubles(column name: String) throws -> [Double] {
        let index = try index(of: name)
        guard let values = numbers[index] else {
            throw ParquetError(
                .unsupported, "column of type \(columns[index].typeName) is not numeric", file: path,
                column: name)
        }
        return values
    }

    public func readStrings(column name: String) throws -> [String?] {
        texts[try index(of: name)]
    }
}
