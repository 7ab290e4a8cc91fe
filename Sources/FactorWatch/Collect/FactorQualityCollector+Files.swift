import Parquet

/// The stock codes of the latest file, and the files before it.
extension FactorQualityCollector {
    /// What cannot be checked without stock codes.
    static let checksNeedingCodes =
        "duplicate codes, code format, day-over-day and rank correlation (rows cannot be joined across files), "
        + "universe by exchange"

    /// Reads the code column(s) and runs the code checks; nil, with `factor_codes_unavailable`, when the file has
    /// no usable codes.
    func readCodes(_ pass: FactorFilePass) throws -> CodeTable? {
        let table = pass.table
        let absent = codeColumns.filter { table.column(named: $0) == nil }
        let values = absent.isEmpty ? try codeValues(table) : nil
        guard let values, values.isNull.contains(false) else {
            let problem = absent.isEmpty ? "null" : "missing"
            let labels = pass.date.setting("column", codeColumn).setting("problem", problem)
                .annotating("checks", Self.checksNeedingCodes)
            pass.emit("factor_codes_unavailable", labels, 1)
            return nil
        }
        pass.codes = values
        let nulls = values.isNull.reduce(0) { $0 + ($1 ? 1 : 0) }
        pass.codeNullFraction = Double(nulls) / Double(max(values.count, 1))
        let index = CodeTable(values)
        pass.emit("factor_duplicate_codes", pass.date, Double(index.duplicates))
        if checks.enabled && codeColumns.count == 1 { try pass.checkCodes(values) }
        return index
    }

    /// One code per row: the code column's text, or the composite key's parts joined by `|`; null where a part
    /// is null. A column of Arrow's null type is all null.
    func codeValues(_ table: any FactorTable) throws -> ByteStrings {
        if codeColumns.count == 1, let column = table.column(named: codeColumns[0]), !column.isNumeric,
           column.typeName != "null" {
            return try table.readByteStrings(column: column.name)
        }
        var result: [String?]?
        for name in codeColumns {
            let column = table.column(named: name)!
            let part: [String?]
            if column.typeName == "null" {
                part = [String?](repeating: nil, count: table.rowCount)
            } else if column.isNumeric {
                part = try table.readDoubles(column: name).map { $0.isNaN ? nil : formatValue($0) }
            } else {
                part = try table.readStrings(column: name)
            }
            guard let sofar = result else {
                result = part
                continue
            }
            result = zip(sofar, part).map { a, b in
                guard let a, let b else { return nil }
                return a + "|" + b
            }
        }
        return ByteStrings(result ?? [])
    }

    /// Opens the previous file and the previous trading day's file (the same table when they coincide) and joins
    /// their rows to the latest file's on the stock code. A file that cannot be read disables the comparisons
    /// with it, nothing else.
    func openPrevious(_ pass: FactorFilePass, dated: [(date: LocalDate, path: String)], codes: CodeTable?,
                      calendar: TradingCalendar) {
        guard dated.count >= 2 else { return }
        let latest = dated[dated.count - 1], before = dated[dated.count - 2]
        let priorDate = calendar.previousTradingDay(before: latest.date)
        let previous: PreviousFile
        do {
            previous = try file(before.path, date: before.date, codes: codes)
        } catch {
            pass.previousUnreadable(before.path, "\(error)")
            return
        }
        pass.previous = previous
        if previous.table.rowCount > 0 {
            pass.emit("factor_rows_change_fraction", pass.date,
                      Double(pass.table.rowCount - previous.table.rowCount) / Double(previous.table.rowCount))
        }
        guard checks.enabled, codes != nil else { return }
        if before.date == priorDate {
            pass.priorDay = previous
        } else if let prior = dated.last(where: { $0.date == priorDate }) {
            do {
                pass.priorDay = try file(prior.path, date: prior.date, codes: codes)
            } catch {
                pass.previousUnreadable(prior.path, "\(error)")
            }
        }
    }

    private func file(_ path: String, date: LocalDate, codes: CodeTable?) throws -> PreviousFile {
        let table = try openFactorTable(path: path)
        guard let codes, codeColumns.allSatisfy({ table.column(named: $0) != nil }) else {
            return PreviousFile(table: table, date: date, partner: nil, boardCounts: nil)
        }
        let values = try codeValues(table)
        return PreviousFile(table: table, date: date, partner: codes.partners(in: values),
                            boardCounts: values.boardCounts())
    }
}

/// Pearson correlation over the pairs where both values are finite; nil with fewer than 3 pairs or no variance.
func pearson(_ pairs: some Sequence<(Double, Double)>) -> Double? {
    var n = 0.0, meanX = 0.0, meanY = 0.0, cxx = 0.0, cyy = 0.0, cxy = 0.0
    for (x, y) in pairs where x.isFinite && y.isFinite {
        n += 1
        let dx = x - meanX
        meanX += dx / n
        let dy = y - meanY
        meanY += dy / n
        cxx += dx * (x - meanX)
        cyy += dy * (y - meanY)
        cxy += dx * (y - meanY)
    }
    guard n >= 3, cxx > 0, cyy > 0 else { return nil }
    return cxy / (cxx * cyy).squareRoot()
}
