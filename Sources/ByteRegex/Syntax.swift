/// A pattern that is not valid RE2 syntax: where (a 0-based offset in Unicode scalars) and why.
public struct RegexSyntaxError: Error, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at offset \(offset))" }
}

/// Zero-width conditions on the position between two bytes.
enum Assertion: UInt8, Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

/// The parsed form of a pattern. Capture groups are not kept: every caller asks only whether text matches.
indirect enum Node: Sendable, Equatable {
    case empty
    case set(CharSet)
    case concat([Node])
    case alternate([Node])
    case repetition(Node, min: Int, max: Int?)
    case assertion(Assertion)

    static func literal(_ scalar: UInt32, foldCase: Bool) -> Node {
        var set = CharSet(scalar)
        if foldCase { set = set.caseFolded() }
        return .set(set)
    }
}

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent ranges.
struct CharSet: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt32>] = []
    static let maxScalar: UInt32 = 0x10FFFF

    init() {}
    init(_ scalar: UInt32) { ranges = [scalar...scalar] }
    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
        normalize()
    }

    static let all = CharSet([0...maxScalar])

    var isEmpty: Bool { ranges.isEmpty }
    var singleScalar: UInt32? { ranges.count == 1 && ranges[0].count == 1 ? ranges[0].lowerBound : nil }
    var scalarCount: Int { ranges.reduce(0) { $0 + $1.count } }

    func contains(_ scalar: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < scalar { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(scalar)
    }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges.append(range)
        normalize()
    }

    mutating func formUnion(_ other: CharSet) {
        ranges += other.ranges
        normalize()
    }

    func inverted() -> CharSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound == CharSet.maxScalar { return CharSet(result) }
            next = range.upperBound + 1
        }
        result.append(next...CharSet.maxScalar)
        return CharSet(result)
    }

    func subtracting(_ other: CharSet) -> CharSet {
        var both = inverted()
        both.formUnion(other)
        return both.inverted()
    }

    private mutating func normalize() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    /// The set with every member's simple case variants added (as RE2's `(?i)`): ASCII letters exactly, other
    /// scalars through their single-scalar lower, upper and title case mappings. Huge ranges are folded only in
    /// their cased blocks (below U+1E944, the last cased letter).
    func caseFolded() -> CharSet {
        var result = self
        for range in ranges {
            let upper = min(range.upperBound, 0x1E943)
            guard range.lowerBound <= upper else { continue }
            for value in range.lowerBound...upper {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for variant in CharSet.caseVariants(scalar) where !result.contains(variant) {
                    result.ranges.append(variant...variant)
                }
            }
        }
        result.normalize()
        return result
    }

    static func caseVariants(_ scalar: Unicode.Scalar) -> [UInt32] {
        let value = scalar.value
        if value < 0x80 {
            if (0x41...0x5A).contains(value) { return [value + 0x20] }
            if (0x61...0x7A).contains(value) { return [value - 0x20] }
            return []
        }
        let properties = scalar.properties
        guard properties.changesWhenCaseMapped else { return [] }
        var variants: [UInt32] = []
        for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
            let scalars = mapping.unicodeScalars
            if scalars.count == 1, let only = scalars.first, only.value >= 0x80 { variants.append(only.value) }
        }
        return variants
    }
}
