import Testing

@testable import FactorWatch

@Suite struct OutputTailTests {
    private func tail(_ chunks: [String], lines: Int, bytes: Int) -> String {
        var tail = OutputTail(maxLines: lines, maxBytes: bytes)
        for chunk in chunks { Array(chunk.utf8).withUnsafeBytes { tail.append($0) } }
        return tail.text
    }

    @Test func keepsTheLastLinesAcrossChunks() {
        #expect(tail(["a\nb", "\nc\nd\n"], lines: 2, bytes: 100) == "c\nd")
        #expect(tail(["a\nb", "\nc\nd"], lines: 3, bytes: 100) == "b\nc\nd")
    }

    @Test func theByteBoundCutsTheOldestLine() {
        let text = tail([String(repeating: "x", count: 50) + "\n" + "last\n"], lines: 10, bytes: 12)
        #expect(text == "xxxxxx\nlast")
    }

    @Test func zeroLinesKeepsNothing() {
        #expect(tail(["a\nb\n"], lines: 0, bytes: 100) == "")
    }
}
