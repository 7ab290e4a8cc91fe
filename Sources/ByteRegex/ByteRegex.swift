#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A regular expression in RE2's syntax, matched over UTF-8 bytes in time linear in the text (no backtracking):
/// a lazily built DFA, with a literal prefilter in front when every match must contain one of a few strings.
/// Matching only answers whether there is a match; there are no capture groups.
public final class ByteRegex: Sendable {
    public let pattern: String
    public let isWholeMatch: Bool
    let program: Program
    /// Strings one of which every match contains, searched with `memchr` before the DFA runs.
    let prefilter: [[UInt8]]?
    /// Containing a prefilter string is matching: the DFA need not confirm.
    let prefilterIsExact: Bool
    private let dfa: Mutex<LazyDFA>
    static let maxPrefilterStrings = 8

    /// Compiles `pattern`; with `wholeMatch` the whole text must match (as `^(?:pattern)$`, for label
    /// matchers), otherwise a match anywhere in the text counts.
    public init(_ pattern: String, wholeMatch: Bool = false) throws(RegexSyntaxError) {
        self.pattern = pattern
        isWholeMatch = wholeMatch
        var node = try Parser.parse(pattern)
        if wholeMatch { node = .concat([.assertion(.beginText), node, .assertion(.endText)]) }
        program = try Compiler.compile(node, unanchored: !wholeMatch)
        // A whole match (a label value) is short: no prefilter, so its literals are not worth finding.
        let info = wholeMatch ? LiteralInfo() : LiteralInfo.of(node)
        var strings = info.exact ?? info.required
        if let found = strings, found.isEmpty || found.count > ByteRegex.maxPrefilterStrings
            || found.contains(where: { $0.isEmpty || $0.contains(0x0A) }) {
            strings = nil
        }
        let isExact = strings != nil && info.exact != nil && info.pure
        // Short required strings are on most lines: confirming each line costs more than the DFA alone.
        if !isExact, let found = strings, found.contains(where: { $0.count < 3 }) { strings = nil }
        prefilter = strings
        prefilterIsExact = isExact
        dfa = Mutex(LazyDFA(program))
    }

    /// Checks `pattern` is valid RE2 syntax.
    public static func validate(_ pattern: String) throws(RegexSyntaxError) {
        _ = try ByteRegex(pattern)
    }

    public func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { matches(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func matches(_ bytes: some Collection<UInt8>) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ matches(bytes: UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { matches(bytes: $0) }
    }

    public func matches(bytes: UnsafeRawBufferPointer) -> Bool {
        if let prefilter {
            var finder = MultiFinder(prefilter)
            finder.start(bytes)
            guard finder.find(in: bytes, from: 0) != nil else { return false }
            if prefilterIsExact { return true }
        }
        return dfa.withLock { $0.matches(bytes) }
    }

    /// The same answer as `matches`, from the NFA simulated without a DFA or prefilter (for tests).
    func matchesBySimulation(bytes: UnsafeRawBufferPointer) -> Bool {
        program.simulate(bytes)
    }

    /// The DFA states cached now, and how often the cache was emptied (for tests of the work done).
    var cachedStates: Int { dfa.withLock { $0.flags.count } }
    var cacheResets: Int { dfa.withLock { $0.resets } }

    /// How many lines of `buffer` match: lines end at `\n` (which is not part of the line); text after the last
    /// newline is a line too when not empty.
    public func countMatchingLines(in buffer: UnsafeRawBufferPointer) -> Int {
        dfa.withLock { dfa in
            prefilter == nil ? ByteRegex.countEachLine(buffer, &dfa) : countCandidates(buffer, &dfa)
        }
    }

    private static func countEachLine(_ buffer: UnsafeRawBufferPointer, _ dfa: inout LazyDFA) -> Int {
        guard buffer.baseAddress != nil else { return 0 }
        var count = 0
        var start = 0
        while start < buffer.count {
            let end = newline(in: buffer, from: start)
            if dfa.matches(UnsafeRawBufferPointer(rebasing: buffer[start..<end])) { count += 1 }
            start = end + 1
        }
        return count
    }

    /// Only lines holding a prefilter string are looked at, and confirmed by the DFA unless the strings are
    /// the whole pattern.
    private func countCandidates(_ buffer: UnsafeRawBufferPointer, _ dfa: inout LazyDFA) -> Int {
        guard buffer.baseAddress != nil, let prefilter else { return 0 }
        var finder = MultiFinder(prefilter)
        finder.start(buffer)
        var count = 0
        var lineStart = 0
        while lineStart < buffer.count, let hit = finder.find(in: buffer, from: lineStart) {
            let end = newline(in: buffer, from: hit)
            if prefilterIsExact {
                count += 1
            } else {
                var start = hit
                while start > lineStart && buffer[start - 1] != 0x0A { start -= 1 }
                if dfa.matches(UnsafeRawBufferPointer(rebasing: buffer[start..<end])) { count += 1 }
            }
            lineStart = end + 1
        }
        return count
    }
}
