/// Figures of one numeric column, as pandas computes them: NaN (null) is missing, infinities are counted apart,
/// everything else is over the finite values.
struct ColumnFigures {
    var rows = 0
    var missing = 0
    var infinities = 0
    var finite = 0
    var mean: Double?
    /// Sample variance (ddof = 1).
    var variance: Double?
    var min: Double?
    var max: Double?
    /// Mean of |x|: the scale the constant check measures the spread against.
    var meanAbsolute: Double?
    /// At most one distinct finite value.
    var allEqual = true

    init(_ values: [Double]) {
        rows = values.count
        var sum = 0.0, low = Double.infinity, high = -Double.infinity
        var first: Double?
        for value in values {
            if value.isFinite {
                finite &+= 1
                sum += value
                low = Swift.min(low, value)
                high = Swift.max(high, value)
                if first == nil { first = value }
            } else if value.isNaN {
                missing &+= 1
            } else {
                infinities &+= 1
            }
        }
        guard finite > 0 else { return }
        allEqual = low == high
        let average = sum / Double(finite)
        // A second pass keeps the variance exact for columns far from zero (raw market caps).
        var squares = 0.0, absolute = 0.0
        for value in values where value.isFinite {
            let d = value - average
            squares += d * d
            absolute += Swift.abs(value)
        }
        mean = average
        min = low
        max = high
        meanAbsolute = absolute / Double(finite)
        if finite >= 2 { variance = squares / Double(finite - 1) }
    }

    var std: Double? { variance.map { $0.squareRoot() } }
    var missingFraction: Double { rows == 0 ? 0 : Double(missing) / Double(rows) }

    /// Constant: one distinct value, or a spread negligible against the values' own size (scale-free, so raw
    /// volatilities around 0.01 are not mistaken for constants the way a fixed variance floor would).
    func isConstant(tolerance: Double) -> Bool {
        if allEqual { return true }
        guard let std, let meanAbsolute, meanAbsolute > 0 else { return false }
        return std / meanAbsolute < tolerance
    }
}

/// The k-th smallest of `values` (0-based), reordering them: Hoare partitioning around a median of three.
func select(_ k: Int, in values: UnsafeMutableBufferPointer<Double>) -> Double {
    var low = 0, high = values.count - 1
    while low < high {
        let middle = low + (high - low) / 2
        if values[middle] < values[low] { values.swapAt(middle, low) }
        if values[high] < values[low] { values.swapAt(high, low) }
        if values[high] < values[middle] { values.swapAt(high, middle) }
        let pivot = values[middle]
        var i = low, j = high
        while i <= j {
            while values[i] < pivot { i += 1 }
            while values[j] > pivot { j -= 1 }
            if i <= j {
                values.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j {
            high = j
        } else if k >= i {
            low = i
        } else {
            return values[k]
        }
    }
    return values[k]
}

/// The median of `values` as numpy computes it (the mean of the two middle values for an even count).
func median(of values: UnsafeMutableBufferPointer<Double>) -> Double? {
    let n = values.count
    guard n > 0 else { return nil }
    let upper = select(n / 2, in: values)
    if n % 2 == 1 { return upper }
    // After selecting n/2, everything before it is no larger: the lower middle is their maximum.
    var lower = -Double.infinity
    for index in 0..<(n / 2) { lower = Swift.max(lower, values[index]) }
    return (lower + upper) / 2
}

func median(_ values: [Double]) -> Double? {
    var copy = values
    return copy.withUnsafeMutableBufferPointer { median(of: $0) }
}

/// Values far from the median in units of the scaled median absolute deviation (1.4826·MAD estimates σ for
/// normal data and ignores the outliers themselves).
struct RobustOutliers {
    var fraction: Double
    var count: Int
    /// The most extreme rows, worst first, with their robust z-scores.
    var worst: [(row: Int, z: Double)]

    /// Nil when fewer than 3 finite values or no spread (MAD 0); `ordered` holds the finite values in order.
    init?(_ values: [Double], ordered: OrderedValues, sigma: Double, keep: Int = 3) {
        let finite = ordered.count
        guard finite >= 3, let center = ordered.median, let mad = ordered.medianDeviation(from: center) else {
            return nil
        }
        let scale = 1.4826 * mad
        guard scale > 0 else { return nil }
        count = 0
        worst = []
        for (row, value) in values.enumerated() where value.isFinite {
            let z = Swift.abs(value - center) / scale
            guard z > sigma else { continue }
            count += 1
            if worst.count < keep || z > worst[worst.count - 1].z {
                let at = worst.firstIndex { $0.z < z } ?? worst.count
                worst.insert((row, z), at: at)
                if worst.count > keep { worst.removeLast() }
            }
        }
        fraction = Double(count) / Double(finite)
    }
}

/// The rows of `values` (finite) in ascending order, by an LSD radix sort on the bit patterns turned
/// order-preserving. Comparison sorts spent most of a million-row run; this is linear, and skips the byte
/// positions where all keys agree (the exponent bytes of standardised exposures often do).
func radixOrder(_ values: [Double]) -> [Int32] {
    let n = values.count
    var keys = [UInt64](repeating: 0, count: n), spareKeys = keys
    var rows = (0..<n).map { Int32(truncatingIfNeeded: $0) }, spareRows = rows
    var counts = [Int](repeating: 0, count: 8 * 256)
    counts.withUnsafeMutableBufferPointer { counts in
        keys.withUnsafeMutableBufferPointer { keys in
            for index in 0..<n {
                let bits = values[index].bitPattern
                let key = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
                keys[index] = key
                for digit in 0..<8 { counts[digit << 8 | Int(truncatingIfNeeded: (key >> (8 * digit)) & 255)] += 1 }
            }
        }
    }
    var offsets = [Int](repeating: 0, count: 256)
    for digit in 0..<8 {
        let shift = UInt64(8 * digit)
        if counts[digit << 8 | Int(truncatingIfNeeded: (keys[0] >> shift) & 255)] == n { continue }
        var total = 0
        for bucket in 0..<256 {
            offsets[bucket] = total
            total += counts[digit << 8 | bucket]
        }
        offsets.withUnsafeMutableBufferPointer { offsets in
            keys.withUnsafeBufferPointer { keys in
                rows.withUnsafeBufferPointer { rows in
                    spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                        spareRows.withUnsafeMutableBufferPointer { spareRows in
                            for index in 0..<n {
                                let bucket = Int(truncatingIfNeeded: (keys[index] >> shift) & 255)
                                let target = offsets[bucket]
                                spareKeys[target] = keys[index]
                                spareRows[target] = rows[index]
                                offsets[bucket] = target + 1
                            }
                        }
                    }
                }
            }
        }
        swap(&keys, &spareKeys)
        swap(&rows, &spareRows)
    }
    return rows
}

/// Σwx / Σw over the rows where the value is finite and the weight finite and positive.
func weightedMean(_ values: [Double], weights: [Double]) -> Double? {
    var total = 0.0, weighted = 0.0
    for (value, weight) in zip(values, weights) where value.isFinite && weight.isFinite && weight > 0 {
        total += weight
        weighted += weight * value
    }
    return total > 0 ? weighted / total : nil
}
