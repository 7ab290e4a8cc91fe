/// Per-column statistics with pandas' meanings, so alerts agree with what an analyst sees there.
public struct ColumnStatistics: Sendable, Equatable {
    public var name: String
    public var typeName: String
    public var isNumeric: Bool
    /// Rows in the table.
    public var rows: Int
    /// Values that are neither null nor NaN (pandas `count()`).
    public var count: Int
    /// Nulls plus NaN (pandas `isnull().sum()`).
    public var nulls: Int
    /// The NaN part of `nulls` (always 0 for non-numeric columns).
    public var nanCount: Int
    /// `nulls / rows`, as pandas `isnull().mean()`; 0 for an empty table.
    public var nullFraction: Double
    /// ±infinity values; they are left out of the figures below.
    public var infinities: Int
    /// Over the finite values: nil for non-numeric columns, or when there are too few values
    /// (mean/min/max need one, variance/std two — pandas gives NaN there).
    public var mean: Double?
    /// Sample variance, ddof = 1 (pandas `var()`).
    public var variance: Double?
    public var std: Double?
    public var min: Double?
    public var max: Double?

    public init(
        name: String, typeName: String, isNumeric: Bool, rows: Int, count: Int, nulls: Int, nanCount: Int,
        infinities: Int, mean: Double?, variance: Double?, min: Double?, max: Double?
    ) {
        self.name = name
        self.typeName = typeName
        self.isNumeric = isNumeric
        self.rows = rows
        self.count = count
        self.nulls = nulls
        self.nanCount = nanCount
        self.nullFraction = rows == 0 ? 0 : Double(nulls) / Double(rows)
        self.infinities = infinities
        self.mean = mean
        self.variance = variance
        self.std = variance.map { $0.squareRoot() }
        self.min = min
        self.max = max
    }
}

/// Streaming statistics over blocks of values. Each block is summarised exactly enough by a
/// corrected two-pass sum (its own mean, then squared deviations from it) and merged into the running
/// totals with Chan's formula, so a column of 1e9 ± 1e-3 keeps its variance to full precision and
/// the hot loop has no division per value. Values are taken relative to the first finite one seen,
/// so the running mean of a column far from zero keeps the resolution of its spread, not of its level.
struct StatisticsAccumulator {
    private(set) var rows = 0
    private(set) var nulls = 0
    private(set) var nans = 0
    private(set) var infinities = 0
    private(set) var finite = 0
    private var shift: Double?
    /// Mean of (value - shift) over the finite values.
    private var mean = 0.0
    private var m2 = 0.0
    private var minimum = Double.infinity
    private var maximum = -Double.infinity

    mutating func addNulls(_ count: Int, rows: Int) {
        nulls += count
        self.rows += rows
    }

    /// Adds non-null values (NaN and ±inf are counted, not summed).
    mutating func add(_ values: UnsafeBufferPointer<Double>) {
        rows += values.count
        guard !values.isEmpty else { return }
        if shift == nil { shift = values.first(where: \.isFinite) }
        let k = shift ?? 0
        if let block = Self.finiteBlock(values, shift: k) {
            minimum = Swift.min(minimum, block.low)
            maximum = Swift.max(maximum, block.high)
            merge(count: values.count, sum: block.sum, values: values, shift: k, finiteOnly: false)
            return
        }
        var sum = 0.0
        var blockFinite = 0
        var low = minimum
        var high = maximum
        for value in values {
            if value.isFinite {
                sum += value - k
                blockFinite &+= 1
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            } else if value.isNaN {
                nans &+= 1
            } else {
                infinities &+= 1
            }
        }
        minimum = low
        maximum = high
        guard blockFinite > 0 else { return }
        merge(count: blockFinite, sum: sum, values: values, shift: k, finiteOnly: true)
    }

    /// The common case in one branch-free pass with four independent lanes: sum of (value - shift),
    /// minimum and maximum. Nil when a NaN or infinity is present (the sum then is not finite).
    private static func finiteBlock(
        _ values: UnsafeBufferPointer<Double>, shift k: Double
    ) -> (sum: Double, low: Double, high: Double)? {
        var sums = SIMD4<Double>(repeating: 0)
        var lows = SIMD4<Double>(repeating: .infinity)
        var highs = SIMD4<Double>(repeating: -.infinity)
        let shift = SIMD4<Double>(repeating: k)
        let quads = values.count / 4
        let base = UnsafeRawPointer(values.baseAddress!)
        for index in 0..<quads {
            let lane = base.loadUnaligned(fromByteOffset: index * 32, as: SIMD4<Double>.self)
            sums += lane - shift
            lows = pointwiseMin(lows, lane)
            highs = pointwiseMax(highs, lane)
        }
        var sum = sums.sum()
        var low = lows.min()
        var high = highs.max()
        for index in (quads * 4)..<values.count {
            sum += values[index] - k
            low = Swift.min(low, values[index])
            high = Swift.max(high, values[index])
        }
        return sum.isFinite && low.isFinite && high.isFinite ? (sum, low, high) : nil
    }

    /// Summarises one block by its corrected two-pass moments and merges it in.
    private mutating func merge(
        count: Int, sum: Double, values: UnsafeBufferPointer<Double>, shift k: Double, finiteOnly: Bool
    ) {
        let n = Double(count)
        let blockMean = sum / n
        var squares = 0.0
        var deviations = 0.0
        if finiteOnly {
            for value in values where value.isFinite {
                let deviation = (value - k) - blockMean
                deviations += deviation
                squares += deviation * deviation
            }
        } else {
            var squareLanes = SIMD4<Double>(repeating: 0)
            var deviationLanes = SIMD4<Double>(repeating: 0)
            let offset = SIMD4<Double>(repeating: k)
            let center = SIMD4<Double>(repeating: blockMean)
            let quads = values.count / 4
            let base = UnsafeRawPointer(values.baseAddress!)
            for index in 0..<quads {
                let lane = base.loadUnaligned(fromByteOffset: index * 32, as: SIMD4<Double>.self)
                let deviation = (lane - offset) - center
                deviationLanes += deviation
                squareLanes += deviation * deviation
            }
            squares = squareLanes.sum()
            deviations = deviationLanes.sum()
            for index in (quads * 4)..<values.count {
                let deviation = (values[index] - k) - blockMean
                deviations += deviation
                squares += deviation * deviation
            }
        }
        let blockM2 = Swift.max(0, squares - deviations * deviations / n)
        merge(count: count, mean: blockMean + deviations / n, m2: blockM2)
    }

    private mutating func merge(count: Int, mean blockMean: Double, m2 blockM2: Double) {
        if finite == 0 {
            finite = count
            mean = blockMean
            m2 = blockM2
            return
        }
        let total = finite + count
        let delta = blockMean - mean
        let weight = Double(count) / Double(total)
        mean += delta * weight
        m2 += blockM2 + delta * delta * Double(finite) * weight
        finite = total
    }

    func statistics(name: String, typeName: String, isNumeric: Bool) -> ColumnStatistics {
        let missing = nulls + nans
        guard isNumeric else {
            return ColumnStatistics(
                name: name, typeName: typeName, isNumeric: false, rows: rows, count: rows - nulls, nulls: nulls,
                nanCount: 0, infinities: 0, mean: nil, variance: nil, min: nil, max: nil)
        }
        return ColumnStatistics(
            name: name, typeName: typeName, isNumeric: true, rows: rows, count: rows - missing, nulls: missing,
            nanCount: nans, infinities: infinities, mean: finite > 0 ? (shift ?? 0) + mean : nil,
            variance: finite > 1 ? m2 / Double(finite - 1) : nil,
            min: finite > 0 ? minimum : nil, max: finite > 0 ? maximum : nil)
    }
}
