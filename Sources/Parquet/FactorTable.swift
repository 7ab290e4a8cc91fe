/// A table of factor exposures, from a Parquet or a CSV file: what the engine needs, whatever the format.
public protocol FactorTable: Sendable {
    /// The file the table was read from (used in messages).
    var path: String { get }
    var rowCount: Int { get }
    var columns: [ColumnDescriptor] { get }
    /// Statistics for the named columns (all when nil), in the order asked; unknown names throw.
    func statistics(columns: [String]?) throws -> [ColumnStatistics]
    /// One numeric column, one entry per row, NaN for null.
    func readDoubles(column: String) throws -> [Double]
    /// One string column, one entry per row, nil for null.
    func readStrings(column: String) throws -> [String?]
    /// One string column as bytes.
    func readByteStrings(column: String) throws -> ByteStrings
}

extension FactorTable {
    public func column(named name: String) -> ColumnDescriptor? {
        columns.first { $0.name == name }
    }

    public func readByteStrings(column: String) throws -> ByteStrings {
        ByteStrings(try readStrings(column: column))
    }
}

/// Opens a factor file as CSV when its name ends in `.csv`, else as Parquet.
public func openFactorTable(path: String) throws -> any FactorTable {
    if path.lowercased().hasSuffix(".csv") { return try CSVTable(path: path) }
    return try ParquetFile(path: path)
}
