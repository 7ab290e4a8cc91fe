/// Finite values in ascending order with the row each came from: what ranks, medians and the MAD are read off.
struct OrderedValues {
    var values: [Double]
    var rows: [Int32]

    var count: Int { values.count }

    /// The finite entries of `column` (those of `selected` rows only, when given), in ascending order.
    init(_ column: UnsafeBufferPointer<Double>, selected: UnsafeBufferPointer<Int32>? = nil) {
        var values = [Double](repeating: 0, count: column.count), rows = [Int32](repeating: 0, count: column.count)
        var kept = 0
        values.withUnsafeMutableBufferPointer { values in
            rows.withUnsafeMutableBufferPointer { rows in
                for row in 0..<column.count where column[row].isFinite && (selected.map { $0[row] >= 0 } ?? true) {
                    values[kept] = column[row]
                    rows[kept] = Int32(truncatingIfNeeded: row)
                    kept += 1
                }
            }
        }
        values.removeLast(values.count - kept)
        rows.removeLast(rows.count - kept)
        sortCarrying(&values, &rows)
        self.values = values
        self.rows = rows
    }

    /// The median as numpy computes it (the mean of the two middle values for an even count).
    var median: Double? {
        let n = count
        guard n > 0 else { return nil }
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }

    /// The median of |x − center|: the deviations of the sorted values are two ascending runs (left and right
    /// of the center), merged up to the middle.
    func medianDeviation(from center: Double) -> Double? {
        let n = count
        guard n > 0 else { return nil }
        var right = 0
        while right < n && values[right] < center { right += 1 }
        var left = right - 1
        var previous = 0.0, current = 0.0
        for _ in 0...(n / 2) {
            previous = current
            let fromLeft = left >= 0 ? Swift.abs(values[left] - center) : .infinity
            let fromRight = right < n ? Swift.abs(values[right] - center) : .infinity
            if fromLeft <= fromRight {
                current = fromLeft
                left -= 1
            } else {
                current = fromRight
                right += 1
            }
        }
        return n % 2 == 1 ? current : (previous + current) / 2
    }

    /// Visits each run of equal values with its average rank (1-based, as pandas `rank()`), skipping the
    /// entries where `keep` is false and ranking among the kept ones only.
    func forEachRank(keep: (Int32) -> Bool, _ body: (Int32, Double) -> Void) {
        var rank = 0, start = 0
        while start < count {
            var end = start + 1
            while end < count && values[end] == values[start] { end += 1 }
            var kept = 0
            for position in start..<end where keep(rows[position]) { kept += 1 }
            let average = Double(2 * rank + kept + 1) / 2
            for position in start..<end where keep(rows[position]) { body(rows[position], average) }
            rank += kept
            start = end
        }
    }
}

/// Sorts `values` (finite) ascending, carrying `rows` along. A bucket sort on (v − min)·n/(max − min), which is
/// monotone in v, so the buckets come out in order and only each bucket is sorted: linear for exposures, with a
/// comparison sort for crowded buckets and the radix order when the range overflows.
func sortCarrying(_ values: inout [Double], _ rows: inout [Int32]) {
    let n = values.count
    guard n > 1 else { return }
    var low = values[0], high = values[0]
    for value in values {
        low = Swift.min(low, value)
        high = Swift.max(high, value)
    }
    let scale = Double(n) / (high - low)
    guard high > low else { return }
    guard (high - low).isFinite, scale.isFinite else {
        let order = radixOrder(values)
        values = order.map { values[Int($0)] }
        rows = order.map { rows[Int($0)] }
        return
    }
    var starts = [Int32](repeating: 0, count: n + 1)
    var sortedValues = [Double](repeating: 0, count: n), sortedRows = [Int32](repeating: 0, count: n)
    values.withUnsafeBufferPointer { values in
        rows.withUnsafeBufferPointer { rows in
            starts.withUnsafeMutableBufferPointer { starts in
                func bucket(_ value: Double) -> Int { Swift.min(n - 1, Int((value - low) * scale)) }
                for value in values { starts[bucket(value) + 1] += 1 }
                for index in 1...n { starts[index] += starts[index - 1] }
                sortedValues.withUnsafeMutableBufferPointer { out in
                    sortedRows.withUnsafeMutableBufferPointer { outRows in
                        for index in 0..<n {
                            let target = Int(starts[bucket(values[index])])
                            out[target] = values[index]
                            outRows[target] = rows[index]
                            starts[bucket(values[index])] += 1
                        }
                        // starts[b] is now the end of bucket b: sort each bucket in place.
                        var begin = 0
                        for b in 0..<n {
                            let end = Int(starts[b])
                            if end - begin > 1 { sortBucket(out, outRows, begin, end) }
                            begin = end
                        }
                    }
                }
            }
        }
    }
    values = sortedValues
    rows = sortedRows
}

private func sortBucket(_ values: UnsafeMutableBufferPointer<Double>, _ rows: UnsafeMutableBufferPointer<Int32>,
                        _ begin: Int, _ end: Int) {
    if end - begin <= 24 {
        for index in (begin + 1)..<end {
            let value = values[index], row = rows[index]
            var hole = index
            while hole > begin && values[hole - 1] > value {
                values[hole] = values[hole - 1]
                rows[hole] = rows[hole - 1]
                hole -= 1
            }
            values[hole] = value
            rows[hole] = row
        }
        return
    }
    var pairs = (begin..<end).map { (values[$0], rows[$0]) }
    pairs.sort { $0.0 < $1.0 }
    for (offset, pair) in pairs.enumerated() {
        values[begin + offset] = pair.0
        rows[begin + offset] = pair.1
    }
}

/// Ranks 1...n with ties given their average rank, as pandas `rank()` and scipy `rankdata` do.
func averageRanks(_ values: [Double]) -> [Double] {
    var ranks = [Double](repeating: 0, count: values.count)
    let ordered = values.withUnsafeBufferPointer { OrderedValues($0) }
    ordered.forEachRank(keep: { _ in true }) { row, rank in ranks[Int(row)] = rank }
    return ranks
}

/// Spearman rank correlation of x[i] and y[partner[i]] over the rows paired (partner ≥ 0) where both are
/// finite (pandas `corr(method="spearman")` after joining on the stock code). `ordered` is x's finite values in
/// order, shared with the other checks of the column.
func spearman(_ x: UnsafeBufferPointer<Double>, ordered: OrderedValues, _ y: UnsafeBufferPointer<Double>,
              partner: UnsafeBufferPointer<Int32>) -> Double? {
    // The rows where both sides are present, marked in `both` (their partner row, else -1).
    var both = [Int32](repeating: -1, count: x.count)
    var pairs = 0
    for row in 0..<x.count where partner[row] >= 0 && x[row].isFinite && y[Int(partner[row])].isFinite {
        both[row] = partner[row]
        pairs += 1
    }
    guard pairs >= 3 else { return nil }
    var ranksX = [Double](repeating: 0, count: x.count)
    let centre = Double(pairs + 1) / 2
    var sxx = 0.0, syy = 0.0, sxy = 0.0
    both.withUnsafeBufferPointer { both in
        ordered.forEachRank(keep: { both[Int($0)] >= 0 }) { row, rank in
            ranksX[Int(row)] = rank - centre
            sxx += (rank - centre) * (rank - centre)
        }
        let before = pairedValues(y, both)
        before.forEachRank(keep: { _ in true }) { row, rank in
            syy += (rank - centre) * (rank - centre)
            sxy += ranksX[Int(row)] * (rank - centre)
        }
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
}

/// y's values at the partners of the marked rows, ordered, each carrying the row of x it pairs with.
private func pairedValues(_ y: UnsafeBufferPointer<Double>, _ both: UnsafeBufferPointer<Int32>) -> OrderedValues {
    let count = both.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
    var values = [Double](repeating: 0, count: count), rows = [Int32](repeating: 0, count: count)
    values.withUnsafeMutableBufferPointer { out in
        rows.withUnsafeMutableBufferPointer { outRows in
            var next = 0
            for row in 0..<both.count where both[row] >= 0 {
                out[next] = y[Int(both[row])]
                outRows[next] = Int32(truncatingIfNeeded: row)
                next += 1
            }
        }
    }
    sortCarrying(&values, &rows)
    return OrderedValues(sorted: values, rows: rows)
}

extension OrderedValues {
    init(sorted values: [Double], rows: [Int32]) {
        self.values = values
        self.rows = rows
    }
}

/// Pearson correlation of x[i] and y[partner[i]] over the paired rows where both are finite, in two passes
/// (means, then centred sums); nil with fewer than 3 pairs or no variance.
func pearson(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>,
             partner: UnsafeBufferPointer<Int32>) -> Double? {
    var n = 0, sumX = 0.0, sumY = 0.0
    for row in 0..<x.count where partner[row] >= 0 {
        let a = x[row], b = y[Int(partner[row])]
        guard a.isFinite && b.isFinite else { continue }
        n += 1
        sumX += a
        sumY += b
    }
    guard n >= 3 else { return nil }
    let meanX = sumX / Double(n), meanY = sumY / Double(n)
    var cxx = 0.0, cyy = 0.0, cxy = 0.0
    for row in 0..<x.count where partner[row] >= 0 {
        let a = x[row], b = y[Int(partner[row])]
        guard a.isFinite && b.isFinite else { continue }
        cxx += (a - meanX) * (a - meanX)
        cyy += (b - meanY) * (b - meanY)
        cxy += (a - meanX) * (b - meanY)
    }
    guard cxx > 0, cyy > 0 else { return nil }
    return cxy / (cxx * cyy).squareRoot()
}
