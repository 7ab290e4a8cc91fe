import Parquet

/// What `factorwatch inspect` shows for one factor file.
public struct FileInspection {
    public var path: String
    public var rows: Int
    public var statistics: [ColumnStatistics]

    public init(path: String, columns: [String]? = nil) throws {
        let table = try openFactorTable(path: path)
        if let columns {
            let known = table.columns.map(\.name)
            for name in columns where !known.contains(name) {
                throw InspectionError(message: "\(path): no column \"\(name)\"; "
                                      + suggestion(for: name, in: known))
            }
        }
        self.path = path
        rows = table.rowCount
        statistics = try table.statistics(columns: columns)
    }

    public struct InspectionError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public func json() -> String { encodeJSON(InspectionJSON(inspection: self)) }

    public func text() -> String {
        let header = ["column", "type", "count", "nulls", "null%", "mean", "std", "min", "max"]
        var rowsText: [[String]] = [header]
        func number(_ value: Double?) -> String { value.map { formatSignificant($0, digits: 6) } ?? "-" }
        for stats in statistics {
            rowsText.append([stats.name, stats.typeName, String(stats.count), String(stats.nulls),
                             formatDouble(stats.nullFraction * 100, format: "%.2f"), number(stats.mean),
                             number(stats.std), number(stats.min), number(stats.max)])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rowsText { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var lines = ["\(path): \(rows) rows, \(statistics.count) columns"]
        for row in rowsText {
            lines.append(row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index < 2 ? cell + padding : padding + cell
            }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

private struct InspectionJSON: Encodable {
    var inspection: FileInspection

    enum Keys: String, CodingKey { case file, rows, columns }
    enum ColumnKeys: String, CodingKey { case name, type, count, nulls, nullFraction = "null_fraction", mean, variance,
                                             std, min, max, infinities }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(inspection.path, forKey: .file)
        try c.encode(inspection.rows, forKey: .rows)
        var columns = c.nestedUnkeyedContainer(forKey: .columns)
        for stats in inspection.statistics {
            var column = columns.nestedContainer(keyedBy: ColumnKeys.self)
            try column.encode(stats.name, forKey: .name)
            try column.encode(stats.typeName, forKey: .type)
            try column.encode(stats.count, forKey: .count)
            try column.encode(stats.nulls, forKey: .nulls)
            try column.encode(stats.nullFraction, forKey: .nullFraction)
            for (key, value) in [(ColumnKeys.mean, stats.mean), (.variance, stats.variance), (.std, stats.std),
                                 (.min, stats.min), (.max, stats.max)] {
                if let value { try column.encode(value, forKey: key) } else { try column.encodeNil(forKey: key) }
            }
            try column.encode(stats.infinities, forKey: .infinities)
        }
    }
}
