/// Reads the text of a cron expression into a `CronSchedule`'s bit sets.
struct CronParser {
    let text: String

    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String: Int]
    }

    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    private static let fields: [Field] = [
        Field(name: "minute", range: 0...59, names: [:]),
        Field(name: "hour", range: 0...23, names: [:]),
        Field(name: "day of month", range: 1...31, names: [:]),
        Field(name: "month", range: 1...12,
              names: Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0 + 1) })),
        // 7 is Sunday too; folded onto 0 after parsing.
        Field(name: "day of week", range: 0...7,
              names: Dictionary(uniqueKeysWithValues: weekdays.enumerated().map { ($1, $0) })),
    ]

    static let shorthands: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    func parse(into schedule: inout CronSchedule) throws(CronError) {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        let leading = text.count - trimmed.count
        if trimmed.hasPrefix("@") {
            let word = String(trimmed.prefix(while: { $0 != " " && $0 != "\t" }))
            let rest = trimmed.dropFirst(word.count)
            guard let expansion = Self.shorthands[word.lowercased()] else {
                let known = Self.shorthands.keys.sorted().joined(separator: ", ")
                throw CronError("unknown shorthand \"\(word)\" (expected one of \(known))", column: leading + 1)
            }
            guard rest.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                throw CronError("nothing may follow \(word)", column: leading + word.count + 2)
            }
            try CronParser(text: expansion).parse(into: &schedule)
            return
        }
        // Split on blanks, remembering each field's 1-based column.
        var tokens: [(text: Substring, column: Int)] = []
        var index = text.startIndex
        var column = 1
        while index < text.endIndex {
            if text[index] == " " || text[index] == "\t" {
                index = text.index(after: index)
                column += 1
                continue
            }
            let start = index
            let startColumn = column
            while index < text.endIndex, text[index] != " ", text[index] != "\t" {
                index = text.index(after: index)
                column += 1
            }
            tokens.append((text[start..<index], startColumn))
        }
        guard tokens.count == 5 else {
            throw CronError("expected 5 fields (minute hour day-of-month month day-of-week) or a shorthand such as "
                + "@daily, found \(tokens.count)", column: tokens.count > 5 ? tokens[5].column : text.count + 1)
        }
        var sets: [UInt64] = []
        for (field, token) in zip(Self.fields, tokens) {
            sets.append(try parse(token.text, as: field, column: token.column))
        }
        schedule.minutes = sets[0]
        schedule.hours = sets[1]
        schedule.daysOfMonth = sets[2]
        schedule.months = sets[3]
        // Sunday may be written 0 or 7.
        schedule.daysOfWeek = (sets[4] | (sets[4] >> 7 & 1)) & 0x7F
        schedule.dayOfMonthRestricted = !tokens[2].text.hasPrefix("*")
        schedule.dayOfWeekRestricted = !tokens[4].text.hasPrefix("*")
    }

    /// One field: a comma-separated list of `*`, `N`, `N-M`, each optionally with `/STEP`.
    private func parse(_ token: Substring, as field: Field, column: Int) throws(CronError) -> UInt64 {
        var set: UInt64 = 0
        var itemColumn = column
        for item in token.split(separator: ",", omittingEmptySubsequences: false) {
            set |= try parseItem(item, as: field, column: itemColumn)
            itemColumn += item.count + 1
        }
        return set
    }

    private func parseItem(_ item: Substring, as field: Field, column: Int) throws(CronError) -> UInt64 {
        guard !item.isEmpty else { throw CronError("empty list item", field: field.name, column: column) }
        let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var step = 1
        if parts.count == 2 {
            let stepColumn = column + parts[0].count + 1
            guard let value = Int(parts[1]), value > 0 else {
                throw CronError("step \"\(parts[1])\" must be a positive number", field: field.name, column: stepColumn)
            }
            step = value
        }
        let body = parts[0]
        var low: Int, high: Int
        if body == "*" {
            (low, high) = (field.range.lowerBound, field.range.upperBound)
            if field.name == "day of week" { high = 6 }
        } else if let dash = body.firstIndex(of: "-") {
            let endColumn = column + body.distance(from: body.startIndex, to: dash) + 1
            low = try value(body[..<dash], as: field, column: column)
            high = try value(body[body.index(after: dash)...], as: field, column: endColumn)
            guard low <= high else {
                throw CronError("range \(body) runs backwards", field: field.name, column: column)
            }
        } else {
            low = try value(body, as: field, column: column)
            // `N/STEP` runs from N to the end of the field, as in cronie.
            high = parts.count == 2 ? field.range.upperBound : low
        }
        var set: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { set |= 1 << UInt64(value) }
        return set
    }

    private func value(_ text: Substring, as field: Field, column: Int) throws(CronError) -> Int {
        if let number = Int(text), text.allSatisfy(\.isASCII) {
            guard field.range.contains(number) else {
                throw CronError("\(number) is out of range \(field.range.lowerBound)-\(field.range.upperBound)",
                                field: field.name, column: column)
            }
            return number
        }
        if let named = field.names[text.uppercased()] { return named }
        let hint = field.names.isEmpty
            ? "a number \(field.range.lowerBound)-\(field.range.upperBound)"
            : "a number \(field.range.lowerBound)-\(field.range.upperBound) or a name such as "
                + (field.name == "month" ? "JAN" : "MON")
        throw CronError("\"\(text)\" is not \(hint)", field: field.name, column: column)
    }
}
