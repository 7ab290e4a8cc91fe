import FactorWatch

/// A seeded source of generated series and expressions for the differential test against promtool.
///
/// Prometheus' test storage hands series to an aggregation in a random order, so an answer that depends on
/// that order (a float sum that rounds differently, a tie in `topk`, the sign of a zero in `max`) cannot be
/// compared. The generator rules such answers out by construction: every sample value is a distinct multiple
/// of 840 (= lcm(1…8)) within its metric, at most eight series feed an `avg`/`stddev`/`stdvar`, so each step
/// of the incremental mean and of Welford's algorithm is exact, and each sub-expression carries what is known
/// about its values so that an operator is only applied where its answer cannot depend on the order.
struct DifferentialGenerator {
    struct Series {
        var metric: String
        /// In input order; an empty value is written out too (it must read as no label).
        var labels: [(String, String)]
        var value: Double
    }

    /// What is known about the values of a generated vector expression.
    struct Generated {
        var text: String
        /// 2: multiples of 840; 1: exact small integers; 0: anything (rounded).
        var level: Int
        var finite: Bool
        /// At most this many series.
        var bound: Int
        var magnitude: Double
        /// Distinct finite values (so `topk` has no ties).
        var distinct: Bool
        var compound: Bool

        var operand: String { compound ? "(\(text))" : text }
    }

    private var state: UInt64
    private(set) var series: [Series] = []

    init(seed: UInt64) {
        state = seed
        series = makeSeries()
    }

    // MARK: - Random numbers (SplitMix64)

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    // MARK: - Series

    static let finiteMetrics = ["a", "b", "c"]
    static let specialMetric = "d"

    private mutating func makeSeries() -> [Series] {
        var combos: [[(String, String)]] = []
        for job in ["api", "db", "web", "cache"] {
            for env in ["prod", "dev"] { combos.append([("job", job), ("env", env)]) }
        }
        var result: [Series] = []
        for metric in Self.finiteMetrics + [Self.specialMetric] {
            var chosen = combos
            while chosen.count > 3 + below(5) { chosen.remove(at: below(chosen.count)) }
            var multiples = Array(-5...7).filter { $0 != 0 }
            for (position, combo) in chosen.enumerated() {
                var labels = combo
                if chance(30) { labels.append(("zone", pick(["x", "y"]))) } else if chance(30) { labels.append(("zone", "")) }
                let multiple = multiples.remove(at: below(multiples.count))
                var value = Double(multiple * 840)
                if metric == Self.specialMetric && position < 3 { value = [Double.nan, .infinity, -.infinity][position] }
                result.append(Series(metric: metric, labels: labels, value: value))
            }
        }
        return result
    }

    private func seriesCount(_ metric: String) -> Int { series.filter { $0.metric == metric }.count }

    // MARK: - Expressions

    mutating func expression() -> Generated {
        vector(depth: 1 + below(3))
    }

    private mutating func vector(depth: Int) -> Generated {
        if depth == 0 { return chance(92) ? selector() : absent() }
        switch below(100) {
        case 0..<18: return vectorScalar(vector(depth: depth - 1))
        case 18..<34: return vectorVector(vector(depth: depth - 1), vector(depth: depth - 1))
        case 34..<46: return setOperation(vector(depth: depth - 1), vector(depth: depth - 1))
        case 46..<72: return aggregation(vector(depth: depth - 1))
        case 72..<80: return topk()
        case 80..<90: return clamp(vector(depth: depth - 1))
        case 90..<94: return absent()
        default:
            var inner = vector(depth: depth - 1)
            if chance(50) {
                inner.text = "-" + inner.operand
            } else {
                inner.text = "abs(\(inner.text))"
                inner.distinct = false
            }
            inner.compound = true
            return inner
        }
    }

    private mutating func matcher() -> String {
        let name = pick(["job", "env", "zone", "nolabel"])
        let values: [String] = switch name {
        case "job": ["api", "db", "web", "cache", "nope", ""]
        case "env": ["prod", "dev", ""]
        case "zone": ["x", "y", ""]
        default: ["", "q"]
        }
        switch below(4) {
        case 0: return "\(name)=\"\(pick(values))\""
        case 1: return "\(name)!=\"\(pick(values))\""
        case 2: return "\(name)=~\"\(pick([".*", ".+", "api|db", "d.*", "(web|cache)", "pro.*", "x"]))\""
        default: return "\(name)!~\"\(pick([".*", "api|db", "d.*", "(web|cache)", "dev", "y|"]))\""
        }
    }

    private mutating func selector(_ wanted: String? = nil) -> Generated {
        let metric = wanted ?? pick(Self.finiteMetrics + Self.finiteMetrics + [Self.specialMetric, Self.specialMetric, "nonexistent"])
        var text = metric
        if chance(35) {
            let count = 1 + below(2)
            text += "{" + (0..<count).map { _ in matcher() }.joined(separator: ", ") + "}"
        }
        let finite = metric != Self.specialMetric
        return Generated(text: text, level: 2, finite: finite, bound: seriesCount(metric), magnitude: 7 * 840,
                         distinct: finite, compound: false)
    }

    /// `absent` of a selector with up to three matchers (often on one name), or of an aggregation.
    private mutating func absent() -> Generated {
        var inner = "sum(\(selector().text))"
        if chance(75) {
            let name = pick(["job", "env"])
            let matchers = (0..<(1 + below(3))).map { _ in
                chance(50) ? matcher() : "\(name)\(pick(["=", "=", "!=", "=~"]))\"\(pick(["api", "db", "prod", ""]))\""
            }
            inner = pick(["nonexistent", "a", "b"]) + "{" + matchers.joined(separator: ", ") + "}"
        }
        return Generated(text: "absent(\(inner))", level: 1, finite: true, bound: 1, magnitude: 1, distinct: false,
                         compound: false)
    }

    private mutating func vectorScalar(_ operand: Generated) -> Generated {
        var result = operand
        result.compound = true
        let vectorFirst = chance(75)
        func join(_ op: String, _ constant: String) -> String {
            vectorFirst ? "\(operand.operand) \(op) \(constant)" : "\(constant) \(op) \(operand.operand)"
        }
        switch below(10) {
        case 0, 1:
            let constant = pick([840.0, 1680, 2520, -840, 4200])
            result.text = join(pick(["+", "-"]), format(constant))
            result.magnitude += abs(constant)
        case 2:
            result.text = join("*", pick(["2", "3", "-1"]))
            result.magnitude *= 3
        case 3:
            result.text = join("*", "0.5")
            result.level = min(result.level, 1)
        case 4:
            let divisor = pick(["7", "840", "0", "3"])
            result.text = vectorFirst ? "\(operand.operand) / \(divisor)" : "\(divisor) / \(operand.operand)"
            result.level = 0
            result.distinct = false
            result.finite = false
        case 5:
            result.text = "\(operand.operand) % 1680"
            result.distinct = false
        case 6:
            result.text = "\(operand.operand) ^ \(pick(["2", "0.5"]))"
            result.level = 0
            result.distinct = false
        case 7, 8:
            let op = pick([">", "<", ">=", "<=", "==", "!="])
            result.text = join(op, pick(["0", "840", "2000", "-1000", "3360", "5040"]))
        default:
            let op = pick([">", "<", "==", "!="])
            result.text = join("\(op) bool", pick(["0", "840", "2000", "-1000"]))
            result = Generated(text: result.text, level: 1, finite: true, bound: operand.bound, magnitude: 1,
                               distinct: false, compound: true)
        }
        return result
    }

    private mutating func matching() -> String {
        pick(["", "", "on(job) ", "on(job, env) ", "ignoring(zone) ", "ignoring(env, zone) ", "on(env) "])
    }

    private mutating func vectorVector(_ lhs: Generated, _ rhs: Generated) -> Generated {
        let op = pick(["+", "-", "*", ">", "<", "==", "!=", "> bool", "< bool"])
        var result = lhs
        result.text = "\(lhs.operand) \(op) \(matching())\(rhs.operand)"
        result.compound = true
        result.finite = lhs.finite && rhs.finite
        if op.hasSuffix("bool") {
            result.level = 1
            result.magnitude = 1
            result.distinct = false
            result.finite = true
        } else if ["+", "-", "*"].contains(op) {
            result.level = op == "*" ? min(lhs.level, rhs.level, 1) : min(lhs.level, rhs.level)
            result.magnitude = op == "*" ? lhs.magnitude * rhs.magnitude : lhs.magnitude + rhs.magnitude
            result.distinct = false
        }
        return result
    }

    private mutating func setOperation(_ lhs: Generated, _ rhs: Generated) -> Generated {
        let op = pick(["and", "or", "unless"])
        var result = lhs
        result.text = "\(lhs.operand) \(op) \(matching())\(rhs.operand)"
        result.compound = true
        if op == "or" {
            result.level = min(lhs.level, rhs.level)
            result.finite = lhs.finite && rhs.finite
            result.bound = lhs.bound + rhs.bound
            result.magnitude = max(lhs.magnitude, rhs.magnitude)
            result.distinct = false
        }
        return result
    }

    private mutating func grouping() -> String {
        pick(["", "by (job)", "by (env)", "by (job, env)", "without (zone)", "without (job)", "by (nolabel)",
              "without (env, zone)"])
    }

    private mutating func aggregation(_ argument: Generated) -> Generated {
        var candidates = ["min", "max", "count", "group"]
        if argument.level >= 1 { candidates.append("sum") }
        let exactMean = argument.level == 2 && argument.bound <= 8 && argument.magnitude <= 1e7
        if exactMean { candidates += ["avg", "avg"] }
        if exactMean && argument.finite && argument.magnitude <= 1e6 { candidates += ["stddev", "stdvar"] }
        let op = pick(candidates)
        let by = grouping()
        var result = argument
        if by.isEmpty {
            result.text = "\(op)(\(argument.text))"
        } else {
            result.text = chance(80) ? "\(op) \(by) (\(argument.text))" : "\(op)(\(argument.text)) \(by)"
        }
        result.compound = true
        result.distinct = false
        switch op {
        case "count", "group": (result.level, result.finite, result.magnitude) = (1, true, 8)
        case "sum": result.magnitude *= Double(argument.bound)
        case "avg": result.level = 1
        case "stddev", "stdvar": result.level = 0
        default: break
        }
        return result
    }

    private mutating func topk() -> Generated {
        var argument = selector(pick(Self.finiteMetrics))
        if chance(40) { argument = vectorScalar(argument) }
        guard argument.distinct && argument.finite else { return argument }
        let op = pick(["topk", "bottomk"])
        var result = argument
        result.text = "\(op)(\(pick(["1", "2", "3"])), \(argument.text))" + (chance(30) ? " by (env)" : "")
        result.compound = true
        return result
    }

    private mutating func clamp(_ argument: Generated) -> Generated {
        let bounds = ["840", "-840", "0", "2520", "NaN", "+Inf", "-Inf"]
        var result = argument
        let (low, high) = (pick(bounds), pick(bounds))
        switch below(3) {
        case 0: result.text = "clamp_min(\(argument.text), \(low))"
        case 1: result.text = "clamp_max(\(argument.text), \(high))"
        default: result.text = "clamp(\(argument.text), \(low), \(high))"
        }
        if [low, high].contains(where: { !$0.allSatisfy { $0.isNumber || $0 == "-" } }) { result.finite = false }
        result.distinct = false
        result.compound = false
        return result
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : "\(value)"
    }
}
