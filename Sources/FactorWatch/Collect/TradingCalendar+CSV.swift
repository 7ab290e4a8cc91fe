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
        let header = try CalendarHeader(headerRecord, path: path)
        var rows: [String: [CalendarRow]] = [:]
        var order: [String] = []
        for fields in filled.dropFirst() {
            let row = try header.row(fields, path: path)
            if rows[row.exchange] == nil { order.append(row.exchange) }
            rows[row.exchange, default: []].append(row)
        }
        let chosen = try choose(exchange, from: order, hasColumn: header.exchange != nil, path: path)
        return try calendar(rows[chosen]!, path: path)
    }

    /// The exchange whose rows are used: the one asked for, the only one, or SSE. Without an exchange column the
    /// file is one exchange's, whichever was asked for.
    private static func choose(_ exchange: String?, from order: [String], hasColumn: Bool, path: String)
        throws(TradingCalendarError) -> String
    {
        if let exchange = exchange?.uppercased(), hasColumn {
            guard order.contains(exchange) else {
                throw TradingCalendarError(
                    path: path,
                    message: "no rows for exchange \"\(exchange)\"; the file has "
                        + (order.isEmpty ? "no rows" : order.joined(separator: ", ")))
            }
            return exchange
        }
        if order.count == 1 { return order[0] }
        if order.contains("SSE") { return "SSE" }
        if order.isEmpty {
            throw TradingCalendarError(path: path, message: "the trading calendar has a header but no rows")
        }
        throw TradingCalendarError(path: path, message: "several exchanges and no SSE; choose one of "
                                   + order.joined(separator: ", "))
    }

    /// One exchange's rows as a calendar; a day listed twice must agree with itself.
    private static func calendar(_ rows: [CalendarRow], path: String) throws(TradingCalendarError) -> TradingCalendar {
        var openDays = Set<LocalDate>()
        var seen: [LocalDate: (open: Bool, line: Int)] = [:]
        for row in rows {
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

/// One day of a calendar file.
private struct CalendarRow {
    var exchange: String
    var day: LocalDate
    var open: Bool
    var line: Int
}

/// The header of a calendar file: where cal_date, is_open and (optionally) exchange are.
private struct CalendarHeader {
    let names: [String]
    let date: Int, open: Int, exchange: Int?

    init(_ record: [CSVField], path: String) throws(TradingCalendarError) {
        let line = record[0].line
        let names = record.map { $0.text.trimmed().lowercased() }
        func column(_ name: String) throws(TradingCalendarError) -> Int? {
            let found = names.indices.filter { names[$0] == name }
            if found.count > 1 {
                throw TradingCalendarError(path: path, line: line, message: "column \(name) appears twice")
            }
            return found.first
        }
        guard let date = try column("cal_date"), let open = try column("is_open") else {
            let shown = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw TradingCalendarError(
                path: path, line: line,
                message: "the header must name cal_date "
                    + "and is_open (Tushare trade_cal: exchange,cal_date,is_open,pretrade_date); found \(shown)")
        }
        self.names = names
        self.date = date
        self.open = open
        self.exchange = try column("exchange")
    }

    func row(_ fields: [CSVField], path: String) throws(TradingCalendarError) -> CalendarRow {
        let line = fields[0].line
        guard max(date, open, exchange ?? 0) < fields.count else {
            throw TradingCalendarError(path: path, line: line,
                                       message: "expected \(names.count) fields as in the header, found \(fields.count)")
        }
        let dateText = fields[date].text.trimmed()
        guard let day = LocalDate(dateText) else {
            throw TradingCalendarError(
                path: path, line: line, column: fields[date].column,
                message: "cal_date must be a date as YYYYMMDD or YYYY-MM-DD, not \"\(dateText)\"")
        }
        let openText = fields[open].text.trimmed()
        let isOpen: Bool
        switch openText {
        case "1", "1.0": isOpen = true
        case "0", "0.0": isOpen = false
        default:
            throw TradingCalendarError(path: path, line: line, column: fields[open].column,
                                       message: "is_open must be 0 or 1, not \"\(openText)\"")
        }
        // Exchange codes are upper case in Tushare; a configured `sse` means the same.
        let name = exchange.map { fields[$0].text.trimmed().uppercased() } ?? ""
        return CalendarRow(exchange: name, day: day, open: isOpen, line: line)
    }
}
