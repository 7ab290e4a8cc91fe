#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds one byte string: `memchr` for its rarest byte in the text being searched, then a compare.
struct Finder {
    let needle: [UInt8]
    /// The needle's index whose byte `memchr` looks for.
    var anchor = 0

    init(_ needle: [UInt8]) {
        self.needle = needle
    }

    /// Chooses the needle byte that is rarest in (the start of) `text`.
    mutating func adapt(to text: UnsafeRawBufferPointer) {
        var counts = [Int](repeating: 0, count: 256)
        for byte in text.prefix(16_384) { counts[Int(byte)] &+= 1 }
        anchor = needle.indices.min { counts[Int(needle[$0])] < counts[Int(needle[$1])] } ?? 0
    }

    /// The first index at or after `from` where the needle starts, or nil.
    func find(in text: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = text.baseAddress else { return nil }
        let length = needle.count
        let byte = Int32(needle[anchor])
        var position = from + anchor
        let last = text.count - length + anchor
        return needle.withUnsafeBytes { pattern -> Int? in
            while position <= last {
                guard let hit = memchr(base + position, byte, last + 1 - position) else { return nil }
                let index = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + index - anchor, pattern.baseAddress!, length) == 0 { return index - anchor }
                position = index + 1
            }
            return nil
        }
    }
}

/// Finds the first of several byte strings, each with its own `Finder`, remembering each one's next hit.
struct MultiFinder {
    var finders: [Finder]
    private var nextHits: [Int?] = []
    private var searchedFrom: [Int] = []

    init(_ needles: [[UInt8]]) {
        finders = needles.map(Finder.init)
    }

    mutating func start(_ text: UnsafeRawBufferPointer) {
        for index in finders.indices { finders[index].adapt(to: text) }
        nextHits = Array(repeating: nil, count: finders.count)
        searchedFrom = Array(repeating: -1, count: finders.count)
    }

    /// The earliest index at or after `from` where any needle starts (calls must not go backwards).
    mutating func find(in text: UnsafeRawBufferPointer, from: Int) -> Int? {
        var best: Int?
        for index in finders.indices {
            if searchedFrom[index] < 0 || (nextHits[index].map { $0 < from } ?? false) {
                nextHits[index] = finders[index].find(in: text, from: from)
                searchedFrom[index] = from
            }
            if let hit = nextHits[index], best.map({ hit < $0 }) ?? true { best = hit }
        }
        return best
    }
}

/// The index of the first `\n` at or after `from` in `text`, or `text.count`.
func newline(in text: UnsafeRawBufferPointer, from: Int) -> Int {
    guard let base = text.baseAddress, from < text.count,
          let hit = memchr(base + from, 0x0A, text.count - from) else { return text.count }
    return base.distance(to: UnsafeRawPointer(hit))
}
