/// Finite values in ascending order, each with a payload carried through the sort (the other day's value of
/// the same stock, or the row): what ranks, medians and the MAD are read off.
struct OrderedValues {
    var values: [Double]
    var payload: [Double]

    var count: Int { values.count }

    /// The finite entries of `column` in ascending order, carrying `payload[row]` (the row number when nil).
    init(_ column: UnsafeBufferPointer<Double>, payload carried: UnsafeBufferPointer<Double>? = nil) {
        var kept = 0
        for value in column where value.isFinite { kept += 1 }
        var values = [Double](repeating: 0, count: kept), payload = [Double](repeating: 0, count: kept)
        values.withUnsafeMutableBufferPointer { values in
            payload.withUnsafeMutableBufferPointer { payload in
                var next = 0
                for row in 0..<column.count where column[row].isFinite {
                    values[next] = column[row]
                    payload[next] = carried?[row] ?? Double(row)
                    next += 1
                }
            }
        }
        sortCarrying(&values, &payload)
        self.values = values
        self.payload = payload
    }

    init(sorted values: [Double], payload: [Double]) {
        self.values = values
        self.payload = payload
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
    /// positions where `keep` is false and ranking among the kept ones only.
    func forEachRank(keep: (Int) -> Bool, _ body: (Int, Double) -> Void) {
        var rank = 0, start = 0
        while start < count {
            var end = start + 1
            while end < count && values[end] == values[start] { end += 1 }
            var kept = 0
            for position in start..<end where keep(position) { kept += 1 }
            let average = Double(2 * rank + kept + 1) / 2
            for position in start..<end where keep(position) { body(position, average) }
            rank += kept
            start = end
        }
    }
}

/// Sorts `values` (finite) ascending, carrying `payload` along. A bucket sort on (v − min)·n/(max − min), which is
/// monotone in v, so the buckets come out in order and only each bucket is sorted: linear for exposures, with a
/// comparison sort for crowded buckets and the radix order when the range overflows.
func sortCarrying(_ values: inout [Double], _ payload: inout [Double]) {
    let n = values.count
    guard n > 1 else { return }
    var low = values[0], high = values[0]
    for value in values {
        low = Swift.min(low, value)
        high = Swift.max(high, value)
    }
    let buckets = n
    let scale = Double(buckets) / (high - low)
    guard high > low else { return }
    guard (high - low).isFinite, scale.isFinite else {
        let order = radixOrder(values)
        values = order.map { values[Int($0)] }
        payload = order.map { payload[Int($0)] }
        return
    }
    var starts = [Int32](repeating: 0, count: buckets + 1)
    var sortedValues = [Double](repeating: 0, count: n), sortedRows = [Double](repeating: 0, count: n)
    values.withUnsafeBufferPointer { values in
        payload.withUnsafeBufferPointer { payload in
            starts.withUnsafeMutableBufferPointer { starts in
                func bucket(_ value: Double) -> Int { Swift.min(buckets - 1, Int((value - low) * scale)) }
                for value in values { starts[bucket(value) + 1] += 1 }
                for index in 1...buckets { starts[index] += starts[index - 1] }
                sortedValues.withUnsafeMutableBufferPointer { out in
                    sortedRows.withUnsafeMutableBufferPointer { outRows in
                        for index in 0..<n {
                            let target = Int(starts[bucket(values[index])])
                            out[target] = values[index]
                            outRows[target] = payload[index]
                            starts[bucket(values[index])] += 1
                        }
                        // starts[b] is now the end of bucket b: sort each bucket in place.
                        var begin = 0
                        for b in 0..<buckets {
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
    payload = sortedRows
}

private func sortBucket(_ values: UnsafeMutableBufferPointer<Double>, _ payload: UnsafeMutableBufferPointer<Double>,
                        _ begin: Int, _ end: Int) {
    if end - begin <= 24 {
        for index in (begin + 1)..<end {
            let value = values[index], carried = payload[index]
            var hole = index
            while hole > begin && values[hole - 1] > value {
                values[hole] = values[hole - 1]
                payload[hole] = payload[hole - 1]
                hole -= 1
            }
            values[hole] = value
            payload[hole] = carried
        }
        return
    }
    var pairs = (begin..<end).map { (values[$0], payload[$0]) }
    pairs.sort { $0.0 < $1.0 }
    for (offset, pair) in pairs.enumerated() {
        values[begin + offset] = pair.0
        payload[begin + offset] = pair.1
    }
}

/// Ranks 1...n with ties given their average rank, as pandas `rank()` and scipy `rankdata` do.
func averageRanks(_ values: [Double]) -> [Double] {
    var ranks = [Double](repeating: 0, count: values.count)
    let ordered = values.withUnsafeBufferPointer { OrderedValues($0) }
    ordered.forEachRank(keep: { _ in true }) { position, rank in ranks[Int(ordered.payload[position])] = rank }
    return ranks
}

/// The other day's value of each row's stock (y[partner[i]]), NaN where the stock has no partner.
func aligned(_ y: [Double], partner: [Int32]) -> [Double] {
    [Double](unsafeUninitializedCapacity: partner.count) { out, count in
        y.withUnsafeBufferPointer { y in
            for (row, other) in partner.enumerated() { out[row] = other >= 0 ? y[Int(other)] : .nan }
        }
        count = partner.count
    }
}

/// Spearman rank correlation of x and the other day's value over the stocks where both are finite (pandas
/// `corr(method="spearman")` after joining on the stock code). `ordered` is x's finite values in order carrying
/// the other day's value: x's ranks are read off it, the other day's values are sorted carrying those ranks, and
/// the products summed in that order, so no pass jumps about the rows.
func spearman(_ ordered: OrderedValues) -> Double? {
    var pairs = 0
    for other in ordered.payload where other.isFinite { pairs += 1 }
    guard pairs >= 3 else { return nil }
    let centre = Double(pairs + 1) / 2
    var before = [Double](repeating: 0, count: pairs), ranks = [Double](repeating: 0, count: pairs)
    var next = 0, sxx = 0.0
    ordered.forEachRank(keep: { ordered.payload[$0].isFinite }) { position, rank in
        before[next] = ordered.payload[position]
        ranks[next] = rank - centre
        sxx += (rank - centre) * (rank - centre)
        next += 1
    }
    sortCarrying(&before, &ranks)
    var syy = 0.0, sxy = 0.0
    OrderedValues(sorted: before, payload: ranks).forEachRank(keep: { _ in true }) { position, rank in
        syy += (rank - centre) * (rank - centre)
        sxy += ranks[position] * (rank - centre)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
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
