/// Per-file figures kept in the state database between runs, so today's file is judged against the median of
/// the files before it. One line per file date and column: `date<TAB>column<TAB>missing<TAB>std`.
struct FactorHistory {
    struct Entry: Equatable {
        var missing: Double
        var std: Double?
    }

    static let memoryKey = "history"
    /// Medians need at least this many earlier files: fewer would turn the first days into noise.
    static let minimumFiles = 5

    private(set) var files: [String: [String: Entry]] = [:]

    init(text: String?) {
        for line in (text ?? "").split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let missing = Double(fields[2]) else { continue }
            files[String(fields[0]), default: [:]][String(fields[1])] = Entry(missing: missing, std: Double(fields[3]))
        }
    }

    var text: String {
        var lines: [String] = []
        for date in files.keys.sorted() {
            for (column, entry) in files[date]!.sorted(by: { $0.key < $1.key }) {
                lines.append("\(date)\t\(column)\t\(entry.missing)\t\(entry.std.map { "\($0)" } ?? "-")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The dates of the up to `limit` files before `date`, oldest first.
    func dates(before date: String, limit: Int) -> [String] {
        Array(files.keys.filter { $0 < date }.sorted().suffix(limit))
    }

    /// The median of one column's figure over `dates`, or nil when fewer than `minimumFiles` of them have it.
    func median(_ column: String, over dates: [String], _ figure: (Entry) -> Double?) -> Double? {
        let values = dates.compactMap { files[$0]?[column].flatMap(figure) }.filter(\.isFinite)
        guard values.count >= Self.minimumFiles else { return nil }
        return FactorWatch.median(values)
    }

    /// Replaces the figures of `date` (a re-run of the same file must not count twice) and keeps the latest
    /// `keep` dates.
    mutating func record(_ date: String, _ entries: [String: Entry], keep: Int) {
        files[date] = entries
        let dates = files.keys.sorted()
        for old in dates.dropLast(keep) { files[old] = nil }
    }
}
