/// Literal strings that every match must contain, read from the parsed pattern, used to skip text with
/// `memchr` before any regex work.
struct LiteralInfo {
    /// Every match is exactly one of these byte strings (when known and few).
    var exact: [[UInt8]]?
    /// Every match contains one of these (when known).
    var required: [[UInt8]]?
    /// No assertion anywhere: matching is then the same as containing one of the exact strings.
    var pure = true

    static let maxStrings = 32
    static let maxLength = 64

    static func of(_ node: Node) -> LiteralInfo {
        switch node {
        case .empty:
            return LiteralInfo(exact: [[]])
        case .assertion:
            return LiteralInfo(exact: [[]], pure: false)
        case .set(let set):
            guard set.scalarCount <= 8 else { return LiteralInfo() }
            let strings = set.ranges.flatMap { $0.filter { !(0xD800...0xDFFF).contains($0) }.map(UTF8Ranges.encode) }
            return LiteralInfo(exact: strings)
        case .concat(let items):
            return concatenation(items.map(of))
        case .alternate(let branches):
            let infos = branches.map(of)
            var result = LiteralInfo(pure: infos.allSatisfy(\.pure))
            if infos.allSatisfy({ $0.exact != nil }) {
                result.exact = bounded(infos.flatMap { $0.exact! })
            }
            let each = infos.map { $0.exact ?? $0.required }
            if each.allSatisfy({ $0 != nil && !$0!.contains([]) }) { result.required = bounded(each.flatMap { $0! }) }
            return result
        case .repetition(let item, let min, let max):
            let inner = of(item)
            var result = LiteralInfo(pure: inner.pure)
            if min == 1 && max == 1 { return inner }
            if min == 0 && max == 1, let exact = inner.exact { result.exact = bounded([[]] + exact) }
            if min >= 1 { result.required = inner.exact ?? inner.required }
            return result
        }
    }

    /// Consecutive exact items multiply into longer strings; the best set of strings found is required.
    static func concatenation(_ infos: [LiteralInfo]) -> LiteralInfo {
        var result = LiteralInfo(pure: infos.allSatisfy(\.pure))
        var run: [[UInt8]]? = [[]]
        var best: [[UInt8]]?
        var allExact = true
        for info in infos {
            if let exact = info.exact, let current = run, let product = product(current, exact).flatMap(bounded) {
                run = product
                continue
            }
            best = better(best, run)
            if info.exact == nil { allExact = false }
            best = better(best, info.exact ?? info.required)
            run = info.exact ?? [[]]
        }
        if allExact, let run, best == nil { result.exact = run }
        result.required = better(best, run)
        return result
    }

    static func product(_ left: [[UInt8]], _ right: [[UInt8]]) -> [[UInt8]]? {
        guard left.count * right.count <= maxStrings else { return nil }
        return left.flatMap { prefix in right.map { prefix + $0 } }
    }

    static func bounded(_ strings: [[UInt8]]) -> [[UInt8]]? {
        let unique = Set(strings.map { ByteString(bytes: $0) }).map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }
        guard unique.count <= maxStrings, unique.allSatisfy({ $0.count <= maxLength }) else { return nil }
        return unique
    }

    private struct ByteString: Hashable { var bytes: [UInt8] }

    /// The more selective set: the one whose shortest string is longer (then the one with fewer strings).
    static func better(_ a: [[UInt8]]?, _ b: [[UInt8]]?) -> [[UInt8]]? {
        func score(_ set: [[UInt8]]?) -> (Int, Int) {
            guard let set, !set.isEmpty else { return (0, 0) }
            return (set.map(\.count).min()!, -set.count)
        }
        let (sa, sb) = (score(a), score(b))
        if sa.0 == 0 && sb.0 == 0 { return nil }
        return sa >= sb ? a : b
    }
}
