extension ExpressionEvaluator {
    /// Groups by the `by`/`without` key, keeping groups in order of first appearance.
    func aggregate(_ op: AggregationOperator, parameter: Double, _ samples: [Sample],
                   grouping: Grouping) throws(ExpressionEvaluationError) -> [Sample] {
        var k = 0
        if op.takesParameter {
            // As Prometheus: a k that is no integer is truncated; NaN or infinite is an error.
            guard parameter >= -9_223_372_036_854_774_784, parameter <= 9_223_372_036_854_774_784 else {
                throw ExpressionEvaluationError("scalar value \(formatValue(parameter)) overflows int64: "
                    + "\(op.rawValue) needs a finite number of series")
            }
            k = Int(parameter)
            if k < 1 { return [] }
        }
        var order: [Labels] = []
        var groups: [Labels: [Sample]] = [:]
        for sample in samples {
            let key = grouping.key(sample.labels)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(sample)
        }
        var result: [Sample] = []
        for key in order {
            let members = groups[key]!
            switch op {
            case .topk, .bottomk:
                result += selectK(members, k: k, top: op == .topk)
            default:
                result.append(Sample(labels: key, value: Self.reduce(op, members.map(\.value))))
            }
        }
        return result
    }

    /// One group's value, computed the way Prometheus 2.42 does so that exact comparisons agree: a plain
    /// running sum, an incremental mean that cannot overflow, and Welford's algorithm for the dispersion.
    static func reduce(_ op: AggregationOperator, _ values: [Double]) -> Double {
        switch op {
        case .sum: return values.dropFirst().reduce(values[0], +)
        case .count: return Double(values.count)
        case .group: return 1
        case .avg: return incrementalMean(values)
        // NaN loses to any number, as in PromQL: max(NaN, 1) is 1; only all-NaN gives NaN.
        case .max: return values.reduce(Double.nan) { $0.isNaN || $1 > $0 ? $1 : $0 }
        case .min: return values.reduce(Double.nan) { $0.isNaN || $1 < $0 ? $1 : $0 }
        case .stdvar, .stddev:
            // One sample has no dispersion; one that is NaN or infinite has an unknown one (Prometheus says 0).
            if values.count == 1 && !values[0].isFinite { return .nan }
            let variance = welfordVariance(values)
            return op == .stddev ? variance.squareRoot() : variance
        case .topk, .bottomk: return .nan
        }
    }

    /// mean += x/n - mean/n, leaving an infinite mean alone when the next value cannot change it.
    private static func incrementalMean(_ values: [Double]) -> Double {
        var mean = values[0]
        for (offset, value) in values.enumerated().dropFirst() {
            let count = Double(offset + 1)
            if mean.isInfinite {
                if value.isInfinite && (mean > 0) == (value > 0) { continue }
                if value.isFinite { continue }
            }
            mean += value / count - mean / count
        }
        return mean
    }

    private static func welfordVariance(_ values: [Double]) -> Double {
        var mean = values[0]
        var squares = 0.0
        for (offset, value) in values.enumerated().dropFirst() {
            let delta = value - mean
            mean += delta / Double(offset + 1)
            squares += delta * (value - mean)
        }
        return squares / Double(values.count)
    }

    /// The k largest (or smallest) members with their own labels; NaN values come last either way.
    private func selectK(_ members: [Sample], k: Int, top: Bool) -> [Sample] {
        let sorted = members.sorted { a, b in
            if a.value.isNaN { return false }
            if b.value.isNaN { return true }
            return top ? a.value > b.value : a.value < b.value
        }
        return Array(sorted.prefix(k))
    }
}
