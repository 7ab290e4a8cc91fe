extension ExpressionEvaluator {
    /// Groups by the `by`/`without` key, keeping groups in order of first appearance.
    func aggregate(_ op: AggregationOperator, parameter: Double, _ samples: [Sample],
                   grouping: Grouping) -> [Sample] {
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
                result += selectK(members, k: parameter, top: op == .topk)
            default:
                result.append(Sample(labels: key, value: Self.reduce(op, members.map(\.value))))
            }
        }
        return result
    }

    static func reduce(_ op: AggregationOperator, _ values: [Double]) -> Double {
        switch op {
        case .sum: return values.reduce(0, +)
        case .count: return Double(values.count)
        case .group: return 1
        case .avg: return values.reduce(0, +) / Double(values.count)
        // NaN loses to any number, as in PromQL: max(NaN, 1) is 1; only all-NaN gives NaN.
        case .max: return values.reduce(Double.nan) { $0.isNaN || $1 > $0 ? $1 : $0 }
        case .min: return values.reduce(Double.nan) { $0.isNaN || $1 < $0 ? $1 : $0 }
        case .stdvar, .stddev:
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            return op == .stddev ? variance.squareRoot() : variance
        case .topk, .bottomk: return .nan
        }
    }

    /// The k largest (or smallest) members with their own labels; NaN values come last either way.
    private func selectK(_ members: [Sample], k: Double, top: Bool) -> [Sample] {
        guard k >= 1 else { return [] }
        let count = k.isFinite ? Int(Swift.min(k, Double(members.count))) : members.count
        let sorted = members.sorted { a, b in
            if a.value.isNaN { return false }
            if b.value.isNaN { return true }
            return top ? a.value > b.value : a.value < b.value
        }
        return Array(sorted.prefix(count))
    }
}
