/// `calendar update --format json`.
struct CalendarUpdateJSON: Encodable {
    var path: String
    var exchange: String
    var days: Int
    var openDays: Int
    var first: String
    var last: String
    var previousLast: String?

    init(_ result: CalendarUpdateResult) {
        path = result.path
        exchange = result.exchange
        days = result.days
        openDays = result.openDays
        first = result.covered.lowerBound.yyyymmdd
        last = result.covered.upperBound.yyyymmdd
        previousLast = result.previous?.upperBound.yyyymmdd
    }

    enum CodingKeys: String, CodingKey {
        case path, exchange, days, first, last
        case openDays = "open_days", previousLast = "previous_last"
    }
}

extension CalendarUpdateResult {
    public func json() -> String { encodeJSON(CalendarUpdateJSON(self)) }
}
