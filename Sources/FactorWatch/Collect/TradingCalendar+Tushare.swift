#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why `calendar update` did not replace the calendar file (the old file is untouched).
public struct CalendarUpdateError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One day of Tushare's `trade_cal`.
public struct TradeCalendarDay: Sendable, Equatable {
    public var exchange: String
    public var day: LocalDate
    public var isOpen: Bool
    public var previousOpen: LocalDate?
}

/// What `calendar update` wrote.
public struct CalendarUpdateResult: Sendable {
    public var path: String
    public var exchange: String
    public var days: Int
    public var openDays: Int
    public var covered: ClosedRange<LocalDate>
    /// The range the file covered before, when there was a readable one.
    public var previous: ClosedRange<LocalDate>?
}

/// Fetches an exchange's calendar from Tushare's HTTP API (`POST` of `{"api_name":"trade_cal",...}`, answered with
/// `{"code":0,"msg":"","data":{"fields":[...],"items":[[...]]}}`) and replaces the CSV calendar file atomically.
public enum TushareCalendar {
    public static let fields = "exchange,cal_date,is_open,pretrade_date"

    /// The request body. The token is revealed here only.
    static func requestBody(token: Secret, exchange: String, from start: LocalDate, to end: LocalDate) -> [UInt8] {
        struct Request: Encodable {
            var api_name = "trade_cal"
            var token: String
            var params: [String: String]
            var fields = TushareCalendar.fields
        }
        let params = ["exchange": exchange, "start_date": start.yyyymmdd, "end_date": end.yyyymmdd]
        return Array(jsonBody(Request(token: token.reveal(), params: params)).utf8)
    }

    /// The days of a `trade_cal` answer, oldest first. A Tushare error code, a malformed answer or one without any
    /// day of `exchange` is an error that names the reason.
    public static func parse(response bytes: [UInt8], exchange: String) throws(CalendarUpdateError)
        -> [TradeCalendarDay] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw CalendarUpdateError("the answer is not JSON (\(error)): \(preview(bytes))")
        }
        guard case .number(let code)? = document["code"] else {
            throw CalendarUpdateError("the answer has no code; not a Tushare API answer: \(preview(bytes))")
        }
        guard code == 0 else {
            var message = "Tushare refused trade_cal: code \(formatValue(code))"
            if case .string(let text)? = document["msg"], !text.isEmpty { message += ": \(text)" }
            throw CalendarUpdateError(message + hint(code: Int(code)))
        }
        guard case .array(let names)? = document["data"]?["fields"],
              case .array(let items)? = document["data"]?["items"] else {
            throw CalendarUpdateError("the answer has no data.fields and data.items: \(preview(bytes))")
        }
        let columns = names.map { value -> String in if case .string(let s) = value { return s } else { return "" } }
        guard let dateColumn = columns.firstIndex(of: "cal_date"), let openColumn = columns.firstIndex(of: "is_open")
        else {
            throw CalendarUpdateError("data.fields lacks cal_date or is_open: \(columns.joined(separator: ","))")
        }
        let exchangeColumn = columns.firstIndex(of: "exchange")
        let previousColumn = columns.firstIndex(of: "pretrade_date")
        var days: [LocalDate: TradeCalendarDay] = [:]
        for (index, item) in items.enumerated() {
            guard case .array(let row) = item, row.count == columns.count else {
                throw CalendarUpdateError("data.items[\(index)] does not have \(columns.count) values")
            }
            let rowExchange = exchangeColumn.flatMap { text(row[$0]) } ?? exchange
            if rowExchange != exchange { continue }
            guard let day = text(row[dateColumn]).flatMap(LocalDate.init) else {
                throw CalendarUpdateError("data.items[\(index)]: cal_date is not YYYYMMDD")
            }
            guard let open = text(row[openColumn]), open == "0" || open == "1" else {
                throw CalendarUpdateError("data.items[\(index)]: is_open must be 0 or 1")
            }
            let previous = previousColumn.flatMap { text(row[$0]) }.flatMap(LocalDate.init)
            days[day] = TradeCalendarDay(exchange: exchange, day: day, isOpen: open == "1", previousOpen: previous)
        }
        guard !days.isEmpty else {
            throw CalendarUpdateError("Tushare returned no day of exchange \(exchange)")
        }
        return days.values.sorted { $0.day < $1.day }
    }

    /// The CSV the calendar loader reads: `exchange,cal_date,is_open,pretrade_date`, oldest first.
    public static func csv(_ days: [TradeCalendarDay]) -> String {
        var text = fields + "\n"
        for day in days {
            text += "\(day.exchange),\(day.day.yyyymmdd),\(day.isOpen ? 1 : 0),\(day.previousOpen?.yyyymmdd ?? "")\n"
        }
        return text
    }

    /// Fetches `start...end` and replaces `path`. The new file is written beside the old one and renamed over it only
    /// once it reads back as a calendar covering `today` and at least the old file's last day (unless `force`).
    public static func update(path: String, exchange: String, settings: TushareSettings, token: Secret,
                              from start: LocalDate, to end: LocalDate, today: LocalDate, force: Bool = false)
        throws(CalendarUpdateError) -> CalendarUpdateResult {
        let request = CurlRequest(
            url: settings.url, method: "POST", headers: ["Content-Type: application/json"],
            body: requestBody(token: token, exchange: exchange, from: start, to: end),
            timeout: settings.timeout, maxResponseBytes: 16 * 1024 * 1024)
        let result = CurlTransfer.perform(request)
        let secrets = [token.reveal()]
        guard result.ok else {
            throw CalendarUpdateError(redacting("cannot reach \(settings.url): \(result.errorText)", secrets))
        }
        guard result.responseCode == 200 else {
            throw CalendarUpdateError(redacting(
                "\(settings.url) answered HTTP \(result.responseCode): \(preview(result.responseBody))", secrets))
        }
        let days = try parse(response: result.responseBody, exchange: exchange)
        let text = csv(days)
        let fresh: TradingCalendar
        do {
            fresh = try TradingCalendar.parse(csv: text, path: path, exchange: exchange)
        } catch {
            throw CalendarUpdateError("the fetched calendar does not read back: \(error)")
        }
        guard case .table(let open, let covered, _) = fresh.source else {
            throw CalendarUpdateError("the fetched calendar is empty")
        }
        let old = (try? TradingCalendar.load(csvPath: path, exchange: exchange)).flatMap { calendar in
            if case .table(_, let range, _) = calendar.source { return range } else { return nil }
        }
        if !force {
            guard covered.contains(today) else {
                throw CalendarUpdateError("Tushare returned \(covered.lowerBound.yyyymmdd)–"
                                          + "\(covered.upperBound.yyyymmdd), which does not include today "
                                          + "(\(today.yyyymmdd)); kept \(path)")
            }
            if let old, covered.upperBound < old.upperBound {
                throw CalendarUpdateError("Tushare returned days up to \(covered.upperBound.yyyymmdd) only; \(path) "
                                          + "already covers up to \(old.upperBound.yyyymmdd) and is kept "
                                          + "(--force replaces it)")
            }
        }
        try writeAtomically(Array(text.utf8), to: path)
        return CalendarUpdateResult(path: path, exchange: exchange, days: days.count, openDays: open.count,
                                    covered: covered, previous: old)
    }

    /// Writes `bytes` whole or not at all over `path`; the old file stays on failure.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CalendarUpdateError) {
        do {
            try FileSystem.writeAtomically(bytes, to: path)
        } catch {
            throw CalendarUpdateError("cannot replace \(path): \(error.reason); the old file is kept")
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .number(let n) where n == n.rounded() && abs(n) < 1e15: return String(Int64(n))
        default: return nil
        }
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        return text.isEmpty ? "(empty)" : text + (bytes.count > 200 ? "…" : "")
    }

    /// What to do about the error codes users meet.
    private static func hint(code: Int) -> String {
        switch code {
        case -2001, 2001: return " (check the token: calendar.tushare.token_file or token_env)"
        case 2002, 40101, 40203: return " (the account lacks permission for trade_cal, or its rate limit was hit)"
        default: return ""
        }
    }
}
