import Parquet

/// The checks of `FactorFilePass` on the file as a whole: schema, codes, universe, dates, copies, and the checks
/// across columns.
extension FactorFilePass {
    /// Schema contract: the required columns (configured, or learned from the first good file) with their kind
    /// of type, and columns added or removed since the previous file.
    func checkSchema(contract: [SchemaColumn]?) {
        if let required = checks.required {
            for name in required {
                let wanted = codeColumns.contains(name) ? "text" : "numeric"
                requireColumn(name, kind: wanted, typeName: wanted == "text" ? "string" : "numeric")
            }
        } else {
            for column in contract ?? [] { requireColumn(column.name, kind: Self.kind(column.type), typeName: column.type) }
        }
        guard let previous else { return }
        let before = Set(previous.table.columns.map(\.name)), now = table.columns.map(\.name)
        let added = now.filter { !before.contains($0) }
        let removed = previous.table.columns.map(\.name).filter { table.column(named: $0) == nil }
        var labels = date
        if !added.isEmpty { labels = labels.setting("added", added.joined(separator: ",")) }
        if !removed.isEmpty { labels = labels.setting("removed", removed.joined(separator: ",")) }
        emit("factor_schema_changed", labels, Double(added.count + removed.count))
    }

    private func requireColumn(_ name: String, kind: String, typeName: String) {
        guard let column = table.column(named: name) else {
            emit("factor_schema_missing_columns", date.setting("column", name), 1)
            return
        }
        let now = Self.kind(column.typeName)
        if now != kind && !(kind == "text" && now == "binary") {
            let labels = date.setting("column", name).setting("type", column.typeName).setting("expected", typeName)
            emit("factor_schema_type_mismatch", labels, 1)
        }
    }

    /// The kind of a type name: an int64 column that became double (pandas does that when a NaN appears) is
    /// still numeric; one that became text, or Arrow's null type, is not.
    static func kind(_ typeName: String) -> String {
        if ["double", "float", "halffloat", "numeric"].contains(typeName) || typeName.hasPrefix("int")
            || typeName.hasPrefix("uint") || typeName.hasPrefix("decimal") { return "numeric" }
        if typeName == "string" || typeName == "text" || typeName == "TEXT" { return "text" }
        if typeName.hasPrefix("timestamp") || typeName == "date" { return "date" }
        return typeName
    }

    /// Stock-code format; nulls count as bad codes.
    func checkCodes(_ values: ByteStrings) throws {
        let matcher = try checks.codeMatcher()
        var bad = 0
        var examples: [String] = []
        for row in 0..<values.count {
            let good = !values.isNull[row] && values.withBytes(row, matcher.matches)
            if good { continue }
            bad += 1
            if examples.count < 3 { examples.append(values.string(row).map { "\"\($0)\"" } ?? "null") }
        }
        let labels = bad > 0 ? date.annotating("examples", examples.joined(separator: ", ")) : date
        emit("factor_bad_codes", labels, Double(bad))
    }

    /// Missing values of the columns that are neither numeric nor the codes; a column of Arrow's null type is
    /// reported as entirely missing rather than read.
    func textColumns(_ names: [String]) throws {
        var readable: [String] = []
        for name in names {
            if table.column(named: name)?.typeName == "null" {
                emit("factor_missing_fraction", date.setting("column", name), 1)
            } else {
                readable.append(name)
            }
        }
        for stats in try table.statistics(columns: readable) {
            emit("factor_missing_fraction", date.setting("column", stats.name), stats.nullFraction)
        }
        for name in readable where Self.dateColumns.contains(name) && table.column(named: name)?.typeName == "string" {
            let values = try table.readStrings(column: name)
            dateMismatch(name, values.map { $0.map { String($0.filter { $0 != "-" }) } })
        }
    }

    static let dateColumns: Set<String> = ["trade_date", "date"]

    /// A numeric date column (YYYYMMDD as a number) against the date in the file name.
    func checkDates(_ name: String, _ values: [Double]) {
        guard checks.enabled, Self.dateColumns.contains(name) else { return }
        dateMismatch(name, values.map { $0.isFinite ? formatValue($0) : nil })
    }

    private func dateMismatch(_ name: String, _ values: [String?]) {
        guard checks.enabled else { return }
        let expected = fileDate.yyyymmdd
        var mismatched = 0
        var found: [String: Int] = [:]
        for case let value? in values where value != expected {
            mismatched += 1
            found[value, default: 0] += 1
        }
        var labels = date.setting("column", name)
        if let common = found.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
            labels = labels.annotating("found", common.key)
        }
        emit("factor_file_date_mismatch", labels, Double(mismatched))
    }

    /// Counts a style factor as compared with the previous file, and as identical when its figures are.
    func compareFigures(_ now: ColumnFigures, _ before: ColumnFigures) {
        comparedFactors += 1
        if now.rows == before.rows, now.missing == before.missing, now.mean == before.mean, now.std == before.std {
            identicalFactors += 1
        }
    }

    /// The exchange and board of a stock code: SH main board or STAR (688/689), SZ main board or ChiNext
    /// (300/301), BJ.
    static func board(_ code: String) -> (exchange: String, board: String) {
        // The usual `NNNNNN.XX`, read on bytes: this runs for every stock of two files.
        let bytes = code.utf8
        if bytes.count == 9, let dot = bytes.firstIndex(of: UInt8(ascii: ".")),
           bytes.distance(from: bytes.startIndex, to: dot) == 6 {
            let digits = Array(bytes.prefix(3)), suffix = Array(bytes.suffix(2))
            func starts(_ text: String) -> Bool { digits.elementsEqual(text.utf8) }
            switch suffix {
            case Array("SH".utf8): return ("SH", starts("688") || starts("689") ? "STAR" : "main")
            case Array("SZ".utf8): return ("SZ", starts("300") || starts("301") ? "ChiNext" : "main")
            case Array("BJ".utf8): return ("BJ", "BJ")
            default: break
            }
        }
        let parts = code.split(separator: ".")
        guard parts.count == 2 else { return ("other", "other") }
        let exchange = String(parts[1]), prefix = parts[0].prefix(3)
        switch exchange {
        case "SH": return (exchange, prefix == "688" || prefix == "689" ? "STAR" : "main")
        case "SZ": return (exchange, prefix == "300" || prefix == "301" ? "ChiNext" : "main")
        case "BJ": return (exchange, "BJ")
        default: return ("other", "other")
        }
    }

    /// Stocks per exchange and board, and the change from the previous file (a board vanishing is a small
    /// share of the universe but a broken download).
    private func universe() {
        guard let codes else { return }
        let now = codes.boardCounts()
        let before = previous?.boardCounts ?? [:]
        for key in Set(now.keys).union(before.keys).sorted() {
            let parts = key.split(separator: "\t").map(String.init)
            let labels = date.setting("exchange", parts[0]).setting("board", parts[1])
            emit("factor_universe_stocks", labels, Double(now[key] ?? 0))
            if let old = before[key], old > 0 {
                emit("factor_universe_change_fraction", labels, Double((now[key] ?? 0) - old) / Double(old))
            }
        }
    }

    /// Checks across columns, once every column has been seen.
    func finish() {
        finishExposures()
        guard checks.enabled else { return }
        universe()
        if let previous, comparedFactors > 0 {
            let republished = identicalFactors == comparedFactors && previous.table.rowCount == table.rowCount
            emit("factor_file_republished", date.annotating("previous", previous.date.yyyymmdd), republished ? 1 : 0)
        }
        if let industrySums, industryColumns > 0 {
            let mismatched = industrySums.reduce(0) { $0 + (Swift.abs($1 - 1) > 1e-9 ? 1 : 0) }
            emit("factor_industry_sum_mismatch", date, Double(mismatched))
            let labels = emptyIndustries.isEmpty ? date
                : date.annotating("industries", emptyIndustries.joined(separator: ", "))
            emit("factor_industry_empty", labels, Double(emptyIndustries.count))
        }
        if let size = styleValues["size"], let nonLinear = styleValues["non_linear_size"],
           let corr = pearson(zip(size, nonLinear)) {
            emit("factor_size_nonlinear_corr", date, Swift.abs(corr))
        }
        let style = styleOrder.filter { !constantStyle.contains($0) }
        if let vifs = varianceInflationFactors(style.map { styleValues[$0]! }) {
            for (name, vif) in zip(style, vifs) { emit("factor_vif", date.setting("factor", name), vif) }
        }
    }
}
