import Testing

@testable import ByteRegex

/// Patterns that make a backtracking engine take exponential time are linear here. The bound is on the work
/// done (the DFA's states), never on the wall clock.
@Suite struct LinearTimeTests {
    @Test func nestedRepetitionOnALongLineIsLinear() throws {
        // A backtracker explores 2^n ways of splitting the a's before failing: hours for n = 40, and the line
        // here has 2 million.
        let regex = try ByteRegex("(a+)+$")
        var text = [UInt8](repeating: UInt8(ascii: "a"), count: 2_000_000)
        text.append(UInt8(ascii: "b"))
        #expect(!text.withUnsafeBytes { regex.matches(bytes: $0) })
        #expect(text.withUnsafeBytes { regex.countMatchingLines(in: $0) } == 0)
        text.removeLast()
        #expect(text.withUnsafeBytes { regex.matches(bytes: $0) })
        #expect(regex.cachedStates <= 8)
    }

    @Test func manyLinesOfACatastrophicPatternStayLinear() throws {
        let regex = try ByteRegex("^(a|aa)*c$")
        let line = String(repeating: "a", count: 60) + "b\n"
        let text = Array(String(repeating: line, count: 20_000).utf8)
        #expect(text.withUnsafeBytes { regex.countMatchingLines(in: $0) } == 0)
        #expect(regex.cachedStates <= 8)
    }

    /// A pattern whose DFA would have 2^20 states: the cache is emptied and refilled, and the answer is still right.
    @Test func anExponentialDFAFillsTheCacheAndStaysCorrect() throws {
        let regex = try ByteRegex("a[ab]{20}c")
        var random: UInt64 = 1
        var text: [UInt8] = []
        for _ in 0..<20_000 {
            random = random &* 6_364_136_223_846_793_005 &+ 1
            text.append(random >> 40 & 1 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b"))
        }
        #expect(!text.withUnsafeBytes { regex.matches(bytes: $0) })
        #expect(regex.cacheResets > 0)
        text += Array("a" + String(repeating: "b", count: 20) + "c").map { $0.asciiValue! }
        #expect(text.withUnsafeBytes { regex.matches(bytes: $0) })
    }
}
