import Parquet

/// A trading calendar file that cannot be used, with where and why.
public struct TradingCalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the problem is the file as a whole.
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, line: Int = 0, column: Int = 0, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `calendar.csv:12:9: is_open must be 0 or 1, not "yes"`.
    public var description: String {
        if line == 0 { return "\(path): \(message)" }
        return column == 0 ? "\(path):\(line): \(message)" : "\(path):\(line):\(column): \(message)"
    }
}

extension TradingCalendar {
    /// Reads a Tushare `trade_cal` CSV: a header naming `cal_date` and `is_open` (and usually `exchange`,
    /// `pretrade_date`) in any order, then one row per day. Values may be quoted; dates are `YYYYMMDD` or
    /// `YYYY-MM-DD`. With several exchanges in one file, `exchange` picks one: by default SSE, or the only one.
    public static func load(csvPath: String, exchange: String? = nil) throws(TradingCalendarError) -> TradingCalendar {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.contents(csvPath)
        } catch {
            throw TradingCalendarError(path: csvPath, message: "cannot read trading calendar: \(error.reason)")
        }
        return try parse(csv: String(decoding: bytes, as: UTF8.self), path: csvPath, exchange: exchange)
    }

    /// As `load(csvPath:exchange:)`, from text already read; `path` names it in errors.
    public static func parse(csv text: String, path: String, exchange: String? = nil)
        throws(TradingCalendarError) -> TradingCalendar
    {
        let records: [[CSVField]]
        do { records = try CSVRecords.parse(Array(text.utf8)) } catch {
            throw TradingCalendarError(path: path, line: error.line, column: error.column, message: error.message)
        }
        let filled = records.filter { record in record.contains { !$0.text.trimmed().isEmpty } }
        // The header: the first record that is not blank.
        guard let headerRecord = filled.first else {
            throw TradingCalendarError(
                path: path,
                message: "empty trading calendar; expected a header such as "
                    + "exchange,cal_date,is_open,pretrade_date")
        }
        let headerLine = headerRecord[0].line
        let names = headerRecord.map { $0.text.trimmed().lowercased() }
        func column(_ name: String) throws(TradingCalendarError) -> Int? {
            let found = names.indices.filter { names[$0] == name }
            if found.count > 1 {
                throw TradingCalendarError(path: path, line: headerLine, message: "column \(name) appears twice")
            }
            return found.first
        }
        guard let dateColumn = try column("cal_date"), let openColumn = try column("is_open") else {
            let shown = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw TradingCalendarError(
                path: path, line: headerLine,
                message: "the header must name cal_date "
                    + "and is_open (Tushare trade_cal: exchange,cal_date,is_open,pretrade_date); found \(shown)")
        }
        let exchangeColumn = try column("exchange")

        // Rows per exchange; a file without an exchange column is one exchange.
        var rows: [String: [(day: LocalDate, open: Bool, line: Int)]] = [:]
        var order: [String] = []
        for fields in filled.dropFirst() {
            let line = fields[0].line
            let needed = max(dateColumn, openColumn, exchangeColumn ?? 0)
            guard needed < fields.count else {
                throw TradingCalendarError(
                    path: path, line: line,
                    message: "expected \(names.count) fields as in "
                        + "the header, found \(fields.count)")
            }
            let dateText = fields[dateColumn].text.trimmed()
            guard let day = LocalDate(dateText) else {
                throw TradingCalendarError(
                    path: path, line: line, column: fields[dateColumn].column,
                    message: "cal_date must be a date as YYYYMMDD or YYYY-MM-DD, not "
                        + "\"\(dateText)\"")
            }
            let openText = fields[openColumn].text.trimmed()
            let open: Bool
            switch openText {
            case "1", "1.0": open = true
            case "0", "0.0": open = false
            default:
                throw TradingCalendarError(
                    path: path, line: line, column: fields[openColumn].column,
                    message: "is_open must be 0 or 1, not \"\(openText)\"")
            }
            // Exchange codes are upper case in Tushare; a configured `sse` means the same.
            let name = exchangeColumn.map { fields[$0].text.trimmed().uppercased() } ?? ""
            if rows[name] == nil { order.append(name) }
            rows[name, default: []].append((day, open, line))
        }

        let chosen: String
        // Without an exchange column the file is one exchange's, whichever was asked for.
        if let exchange = exchange?.uppercased(), exchangeColumn != nil {
            guard rows[exchange] != nil else {
                throw TradingCalendarError(
                    path: path,
                    message: "no rows for exchange \"\(exchange)\"; the file has "
                        + (order.isEmpty ? "no rows" : order.joined(separator: ", ")))
            }
            chosen = exchange
        } else if order.count == 1 {
            chosen = order[0]
        } else if rows["SSE"] != nil {
            chosen = "SSE"
        } else if order.isEmpty {
            throw TradingCalendarError(path: path, message: "the trading calendar has a header but no rows")
        } else {
            throw TradingCalendarError(
                path: path,
                message: "several exchanges and no SSE; choose one of "
                    + order.joined(separator: ", "))
        }

        var openDays = Set<LocalDate>()
        var seen: [LocalDate: (open: Bool, line: Int)] = [:]
        for row in rows[chosen]! {
            if let earlier = seen[row.day] {
                guard earlier.open == row.open else {
                    throw TradingCalendarError(
                        path: path, line: row.line,
                        message: "cal_date \(row.day.yyyymmdd) "
                            + "is already listed on line \(earlier.line) with a different is_open")
                }
                continue
            }
            seen[row.day] = (row.open, row.line)
            if row.open { openDays.insert(row.day) }
        }
        let days = seen.keys
        let covered = days.min()!...days.max()!
        return TradingCalendar(source: .table(openDays: openDays, covered: covered, path: path))
    }
}
