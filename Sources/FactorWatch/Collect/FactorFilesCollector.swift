/// Watches the directory of daily factor files: which dates are there, and how stale the latest one is.
///
/// Emits, with `dir` as configured:
/// - `factor_files_count{dir}`: files whose name carries a date, up to today;
/// - `factor_files_future_count{dir}`: files dated after today (ignored otherwise);
/// - `factor_file_latest_date{dir}`: the latest date as the number YYYYMMDD;
/// - `factor_file_age_days{dir,__date}`: calendar days from the latest date to today;
/// - `factor_file_age_trading_days{dir,__date}`: trading days strictly between the latest date and today; with
///   `expectedBy`, only the days whose file is already due (`missingTradingDays`);
/// - `factor_files_holes{dir,__dates}`: trading days of the last `holesWindow` calendar days up to the latest
///   file (and not before the first) that have no file, the first few named in `__dates`;
/// - `trading_calendar_days_left{calendar}`: with a calendar file, days from today to the last day it lists
///   (negative once past it). Beyond that day trading days are counted as weekdays, which turns the next holiday
///   week into false alarms, so the file needs renewing before it runs out.
///
/// An empty directory is not an error: it yields `factor_files_count 0` and no age or latest-date series, since
/// there is no date to measure from. Rules catch it with `factor_files_count == 0` or
/// `absent(factor_file_age_days)`. A missing or unreadable directory is a collector failure.
public struct FactorFilesCollector: Collector {
    public var name: String { "factor_files" }
    public let dir: String
    /// The `dir` label: the directory as the configuration wrote it (defaults to `dir`).
    public let label: String
    public let pattern: String
    /// When each trading day's file is due (see `missingTradingDays`); nil: at midnight after the day.
    public var expectedBy: ExpectedArrival?

    public init(dir: String, pattern: String = Pattern.defaultText, label: String? = nil) {
        self.dir = dir
        self.label = label ?? dir
        self.pattern = pattern
    }

    public var metricNames: [String] {
        [
            "factor_files_count", "factor_files_future_count", "factor_file_latest_date", "factor_file_age_days",
            "factor_file_age_trading_days", "trading_calendar_days_left", "factor_files_holes",
        ]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let today = context.today
        let all = try datedFiles()
        let current = all.filter { $0.date <= today }
        let labels: Labels = ["dir": label]
        var observations = [
            Observation("factor_files_count", labels, current.count),
            Observation("factor_files_future_count", labels, all.count - current.count),
        ]
        if case .table(_, let covered, let path) = context.calendar.source {
            let left = today.days(until: covered.upperBound)
            observations.append(Observation("trading_calendar_days_left", ["calendar": path], left))
        }
        guard let latest = current.last?.date else { return observations }
        let dated = labels.annotating("date", latest.yyyymmdd)
        observations.append(Observation("factor_file_latest_date", labels, Int(latest.yyyymmdd)!))
        observations.append(Observation("factor_file_age_days", dated, latest.days(until: today)))
        observations.append(
            Observation(
                "factor_file_age_trading_days", dated,
                missingTradingDays(after: latest, context)))
        observations.append(holes(current.map(\.date), calendar: context.calendar, labels: labels))
        return observations
    }

    /// How far back the history-holes check looks, in calendar days.
    public static let holesWindow = 60

    private func holes(_ dates: [LocalDate], calendar: TradingCalendar, labels: Labels) -> Observation {
        let present = Set(dates)
        var missing: [LocalDate] = []
        if let first = dates.first, let last = dates.last {
            var day = last
            for _ in 0..<Self.holesWindow {
                day = day.adding(days: -1)
                if day < first { break }
                if calendar.isOpen(day), !present.contains(day) { missing.append(day) }
            }
        }
        let named = missing.reversed().prefix(5).map(\.yyyymmdd).joined(separator: ", ")
        return Observation("factor_files_holes", missing.isEmpty ? labels : labels.annotating("dates", named),
                           missing.count)
    }

    /// The regular files in `dir` whose names match the pattern, with the date each name carries, oldest first
    /// (same dates ordered by path). With `notAfter`, later-dated files are left out.
    public func datedFiles(notAfter last: LocalDate? = nil) throws -> [(date: LocalDate, path: String)] {
        let compiled: Pattern
        do {
            compiled = try Pattern(pattern)
        } catch {
            throw CollectorFailure("\(error)")
        }
        let names: [String]
        do {
            names = try FileSystem.names(dir)
        } catch {
            throw CollectorFailure("cannot list directory \(dir): \(error.reason)")
        }
        var result: [(date: LocalDate, path: String)] = []
        for name in names {
            guard let date = compiled.date(in: name) else { continue }
            if let last, date > last { continue }
            let path = FileSystem.join(dir, name)
            guard (try? FileSystem.status(path))?.kind == .regular else { continue }
            result.append((date, path))
        }
        return result.sorted { $0.date != $1.date ? $0.date < $1.date : $0.path < $1.path }
    }

    /// A file-name pattern: `%Y` (4 digits), `%m` and `%d` (2 digits), `%%`, `*` (any text), `?` (one character),
    /// and literal text. `%Y`, `%m` and `%d` each appear exactly once.
    public struct Pattern: Sendable, Equatable {
        enum Token: Sendable, Equatable {
            case year, month, day, any, one
            case literal(Character)
        }

        public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
            public var pattern: String
            public var offset: Int
            public var message: String
            public var description: String { "pattern \"\(pattern)\" at offset \(offset): \(message)" }
        }

        let tokens: [Token]

        /// The pipeline's own naming: `by_date/20261124.parquet`.
        public static let defaultText = "%Y%m%d.parquet"

        public init(_ text: String) throws(Invalid) {
            var tokens: [Token] = []
            let characters = Array(text)
            var index = 0
            var seen: [Token: Int] = [:]
            while index < characters.count {
                let character = characters[index]
                switch character {
                case "%":
                    guard index + 1 < characters.count else {
                        throw Invalid(
                            pattern: text, offset: index,
                            message: "a lone % at the end; use %% for a "
                                + "literal percent sign")
                    }
                    let token: Token
                    switch characters[index + 1] {
                    case "Y": token = .year
                    case "m": token = .month
                    case "d": token = .day
                    case "%": token = .literal("%")
                    case let other:
                        throw Invalid(
                            pattern: text, offset: index,
                            message: "unknown directive %\(other); valid "
                                + "are %Y, %m, %d, %% (and * or ? as wildcards)")
                    }
                    if token != .literal("%") {
                        if seen[token] != nil {
                            throw Invalid(
                                pattern: text, offset: index,
                                message: "%\(characters[index + 1]) "
                                    + "appears twice")
                        }
                        seen[token] = index
                    }
                    tokens.append(token)
                    index += 2
                    continue
                case "*": tokens.append(.any)
                case "?": tokens.append(.one)
                case "/":
                    throw Invalid(
                        pattern: text, offset: index,
                        message: "the pattern names files inside dir and "
                            + "cannot contain /")
                default: tokens.append(.literal(character))
                }
                index += 1
            }
            for (token, directive) in [(Token.year, "%Y"), (.month, "%m"), (.day, "%d")] where seen[token] == nil {
                throw Invalid(
                    pattern: text, offset: characters.count,
                    message: "missing \(directive); a pattern "
                        + "needs %Y, %m and %d, as in %Y%m%d.parquet")
            }
            self.tokens = tokens
        }

        /// The date a file name carries, or nil when the name does not match or the date is not real.
        public func date(in name: String) -> LocalDate? {
            var parts = (year: 0, month: 0, day: 0)
            guard match(tokens[...], Array(name)[...], &parts) else { return nil }
            guard (1...12).contains(parts.month), parts.day >= 1,
                parts.day <= LocalDate.daysIn(month: parts.month, year: parts.year)
            else { return nil }
            return LocalDate(year: parts.year, month: parts.month, day: parts.day)
        }

        private func match(
            _ tokens: ArraySlice<Token>, _ name: ArraySlice<Character>,
            _ parts: inout (year: Int, month: Int, day: Int)
        ) -> Bool {
            guard let token = tokens.first else { return name.isEmpty }
            let rest = tokens.dropFirst()
            switch token {
            case .literal(let character):
                guard name.first == character else { return false }
                return match(rest, name.dropFirst(), &parts)
            case .one:
                guard !name.isEmpty else { return false }
                return match(rest, name.dropFirst(), &parts)
            case .any:
                var remaining = name
                while true {
                    if match(rest, remaining, &parts) { return true }
                    guard !remaining.isEmpty else { return false }
                    remaining = remaining.dropFirst()
                }
            case .year, .month, .day:
                let width = token == .year ? 4 : 2
                let digits = name.prefix(width)
                guard digits.count == width, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let value = Int(String(digits))
                else { return false }
                switch token {
                case .year: parts.year = value
                case .month: parts.month = value
                default: parts.day = value
                }
                return match(rest, name.dropFirst(width), &parts)
            }
        }
    }
}

extension FactorFilesCollector.Pattern.Token: Hashable {}
