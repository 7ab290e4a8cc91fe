/// A square matrix of doubles in row-major order: just what the collinearity and covariance checks need.
struct SquareMatrix: Equatable {
    let size: Int
    var values: [Double]

    init(size: Int, values: [Double]) {
        precondition(values.count == size * size)
        self.size = size
        self.values = values
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * size + column] }
        set { values[row * size + column] = newValue }
    }

    /// The largest |a[i][j] − a[j][i]| relative to the larger of the two, or 0 for a symmetric matrix.
    var asymmetry: Double {
        var worst = 0.0
        for i in 0..<size {
            for j in (i + 1)..<max(i + 1, size) {
                let a = self[i, j], b = self[j, i]
                let scale = Swift.max(Swift.abs(a), Swift.abs(b))
                if scale > 0 { worst = Swift.max(worst, Swift.abs(a - b) / scale) }
            }
        }
        return worst
    }

    /// The lower-triangular L with L·Lᵀ = self, or nil when the matrix is not positive-definite (a pivot is not
    /// strictly positive). Reads the lower triangle only.
    func cholesky() -> SquareMatrix? {
        var l = SquareMatrix(size: size, values: [Double](repeating: 0, count: size * size))
        for j in 0..<size {
            var pivot = self[j, j]
            for k in 0..<j { pivot -= l[j, k] * l[j, k] }
            guard pivot > 0, pivot.isFinite else { return nil }
            let root = pivot.squareRoot()
            l[j, j] = root
            for i in (j + 1)..<max(j + 1, size) {
                var sum = self[i, j]
                for k in 0..<j { sum -= l[i, k] * l[j, k] }
                l[i, j] = sum / root
            }
        }
        return l
    }

    /// The diagonal of the inverse of L·Lᵀ, for L = self a Cholesky factor: (A⁻¹)ⱼⱼ = Σₖ (L⁻¹)ₖⱼ².
    func inverseDiagonalFromCholesky() -> [Double] {
        // Invert the lower-triangular factor column by column (forward substitution on unit vectors).
        var inverse = SquareMatrix(size: size, values: [Double](repeating: 0, count: size * size))
        for column in 0..<size {
            for row in column..<size {
                var sum = row == column ? 1.0 : 0.0
                for k in column..<row { sum -= self[row, k] * inverse[k, column] }
                inverse[row, column] = sum / self[row, row]
            }
        }
        return (0..<size).map { j in (j..<size).reduce(0.0) { $0 + inverse[$1, j] * inverse[$1, j] } }
    }
}

/// Variance inflation factors of the given columns over the rows where all are finite: the diagonal of the
/// inverse correlation matrix, i.e. 1 / (1 − R²) of each column regressed on the others with an intercept.
/// Nil when fewer rows than columns + 2, or a column has no spread; a singular correlation matrix gives
/// `perfectCollinearity` for every column.
func varianceInflationFactors(_ columns: [[Double]]) -> [Double]? {
    let k = columns.count
    guard k >= 2, let rows = columns.first?.count, columns.allSatisfy({ $0.count == rows }) else { return nil }
    // The rows where every column is finite, found column by column (contiguous reads).
    var complete = [Bool](repeating: true, count: rows)
    for column in columns {
        for row in 0..<rows where !column[row].isFinite { complete[row] = false }
    }
    let used = (0..<rows).filter { complete[$0] }
    guard used.count >= k + 2 else { return nil }
    let means = columns.map { column in used.reduce(0.0) { $0 + column[$1] } / Double(used.count) }
    guard let cross = centredCrossProducts(columns, rows: used, means: means) else { return nil }
    var correlation = cross
    for i in 0..<k {
        guard cross[i, i] > 0 else { return nil }
        for j in 0...i {
            correlation[i, j] = cross[i, j] / (cross[i, i] * cross[j, j]).squareRoot()
            correlation[j, i] = correlation[i, j]
        }
    }
    guard let factor = correlation.cholesky() else {
        return [Double](repeating: perfectCollinearity, count: k)
    }
    return factor.inverseDiagonalFromCholesky().map { Swift.min($0, perfectCollinearity) }
}

/// Σ (xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ) over `rows`, lower triangle: the rows go by in blocks copied centred into one buffer,
/// and each pair of columns is a dot product of two contiguous runs, four lanes at a time.
private func centredCrossProducts(_ columns: [[Double]], rows: [Int], means: [Double]) -> SquareMatrix? {
    let k = columns.count, block = 256
    var cross = SquareMatrix(size: k, values: [Double](repeating: 0, count: k * k))
    var buffer = [Double](repeating: 0, count: k * block)
    var start = 0
    while start < rows.count {
        let count = Swift.min(block, rows.count - start)
        buffer.withUnsafeMutableBufferPointer { buffer in
            for c in 0..<k {
                let mean = means[c]
                columns[c].withUnsafeBufferPointer { column in
                    for t in 0..<count { buffer[c * block + t] = column[rows[start + t]] - mean }
                    for t in count..<block { buffer[c * block + t] = 0 }
                }
            }
            let base = UnsafeRawPointer(buffer.baseAddress!)
            for i in 0..<k {
                for j in 0...i {
                    var lanes = SIMD4<Double>()
                    for t in stride(from: 0, to: block, by: 4) {
                        let a = base.loadUnaligned(fromByteOffset: (i * block + t) * 8, as: SIMD4<Double>.self)
                        let b = base.loadUnaligned(fromByteOffset: (j * block + t) * 8, as: SIMD4<Double>.self)
                        lanes += a * b
                    }
                    cross[i, j] += lanes.sum()
                }
            }
        }
        start += count
    }
    return cross
}

/// The VIF reported when the style factors are exactly collinear (the correlation matrix is singular).
let perfectCollinearity = 1e6
