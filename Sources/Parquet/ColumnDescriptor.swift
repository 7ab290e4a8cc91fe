/// One column of a factor table, as a caller sees it.
public struct ColumnDescriptor: Sendable, Equatable {
    /// The column's name (a top-level field of the schema, or a CSV header).
    public var name: String
    /// Parquet's physical type (`DOUBLE`, `INT64`, `BYTE_ARRAY`, …), or `TEXT` for CSV columns.
    public var physicalType: String
    /// The type as pandas/Arrow would name it: `double`, `int64`, `string`, `date`, `timestamp[ns]`,
    /// `decimal(10,2)`, `bool`, …
    public var typeName: String
    /// True for integer and floating-point columns: the "factors" whose statistics carry numbers.
    public var isNumeric: Bool
    /// True when the column may hold nulls.
    public var isOptional: Bool

    public init(name: String, physicalType: String, typeName: String, isNumeric: Bool, isOptional: Bool) {
        self.name = name
        self.physicalType = physicalType
        self.typeName = typeName
        self.isNumeric = isNumeric
        self.isOptional = isOptional
    }

    /// True for the column pandas writes for a stored index (`__index_level_0__`, or `index` from
    /// fastparquet and CSV round trips). The caller decides whether to skip it.
    public var isPandasIndex: Bool {
        name == "index" || (name.hasPrefix("__index_level_") && name.hasSuffix("__"))
    }
}

/// Parquet physical types and how each maps to a descriptor.
enum PhysicalType: Int32 {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }

    /// Bytes per value for the fixed-width types.
    func width(typeLength: Int) -> Int? {
        switch self {
        case .boolean: 1
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        case .fixedLenByteArray: typeLength
        case .byteArray: nil
        }
    }
}

/// Everything the reader needs to know about one leaf column.
struct ColumnSchema {
    var index: Int
    var name: String
    var physical: PhysicalType
    var typeLength: Int
    var isOptional: Bool
    var typeName: String
    var isNumeric: Bool
    /// Power of ten dividing stored integers of a decimal column.
    var decimalScale: Int?
    /// IEEE binary16 values in a 2-byte FIXED_LEN_BYTE_ARRAY.
    var isHalfFloat: Bool { typeName == "halffloat" }
    /// Whether the statistics carry numbers: the numeric columns, and booleans and decimals, whose mean pandas
    /// gives too (the share of True; the decimal values).
    var isSummarised: Bool { isNumeric || physical == .boolean || decimalScale != nil }

    init(index: Int, element: FileMetadata.SchemaElement) throws {
        guard let raw = element.physicalType, let physical = PhysicalType(rawValue: raw) else {
            throw ParquetError(
                .unsupported, "unknown physical type \(element.physicalType.map(String.init) ?? "none")",
                column: element.name)
        }
        self.index = index
        self.name = element.name
        self.physical = physical
        self.typeLength = Int(element.typeLength ?? 0)
        self.isOptional = element.repetition == 1
        (typeName, isNumeric, decimalScale) = Self.describe(physical, element)
        if physical == .fixedLenByteArray && typeLength <= 0 {
            throw ParquetError(.corrupt, "FIXED_LEN_BYTE_ARRAY without a positive type_length", column: name)
        }
    }

    var descriptor: ColumnDescriptor {
        ColumnDescriptor(
            name: name, physicalType: physical.name, typeName: typeName, isNumeric: isNumeric,
            isOptional: isOptional)
    }

    private static func describe(
        _ physical: PhysicalType, _ element: FileMetadata.SchemaElement
    ) -> (String, Bool, Int?) {
        switch element.logicalType {
        case .string?, .enumeration?, .json?: return ("string", false, nil)
        case .uuid?: return ("uuid", false, nil)
        case .bson?: return ("binary", false, nil)
        case .float16?: return ("halffloat", true, nil)
        case .date?: return ("date", false, nil)
        case .time(let unit)?: return ("time[\(unit)]", false, nil)
        case .timestamp(let unit, let utc)?: return ("timestamp[\(unit)\(utc ? ", UTC" : "")]", false, nil)
        case .decimal(let scale, let precision)?: return ("decimal(\(precision),\(scale))", false, Int(scale))
        case .integer(let width, let signed)?: return ("\(signed ? "" : "u")int\(width)", true, nil)
        case .unknown?: return ("null", false, nil)
        default: break
        }
        switch element.convertedType {
        case 0?, 4?, 19?: return ("string", false, nil)
        case 5?:
            let scale = Int(element.scale ?? 0)
            return ("decimal(\(element.precision ?? 0),\(scale))", false, scale)
        case 6?: return ("date", false, nil)
        case 7?: return ("time[ms]", false, nil)
        case 8?: return ("time[us]", false, nil)
        case 9?: return ("timestamp[ms]", false, nil)
        case 10?: return ("timestamp[us]", false, nil)
        case 11?: return ("uint8", true, nil)
        case 12?: return ("uint16", true, nil)
        case 13?: return ("uint32", true, nil)
        case 14?: return ("uint64", true, nil)
        case 15?: return ("int8", true, nil)
        case 16?: return ("int16", true, nil)
        case 17?: return ("int32", true, nil)
        case 18?: return ("int64", true, nil)
        default: break
        }
        switch physical {
        case .boolean: return ("bool", false, nil)
        case .int32: return ("int32", true, nil)
        case .int64: return ("int64", true, nil)
        case .int96: return ("timestamp[ns]", false, nil)
        case .float: return ("float", true, nil)
        case .double: return ("double", true, nil)
        case .byteArray: return ("binary", false, nil)
        case .fixedLenByteArray: return ("fixed_size_binary[\(element.typeLength ?? 0)]", false, nil)
        }
    }
}
