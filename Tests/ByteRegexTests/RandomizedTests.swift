import Testing

@testable import ByteRegex

/// Random patterns over a small alphabet, each answered four ways: the cached DFA, the uncached NFA simulation,
/// the literal prefilter (through line counting), and a backtracking matcher.
@Suite struct RandomizedTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func atom(_ depth: Int) -> String {
            let atoms = ["a", "b", "c", ".", "[ab]", "[^a]", "\\d", "\\w", "\\s", "\\b", "^", "$", "[[:alpha:]]", "1",
                         " ", "ab", "abc", "(?i)a", "(?s).", "(?m)^", "(?m)$", "\\B", "[a-c]"]
            if depth < 3 && next(4) == 0 { return "(" + pattern(depth + 1) + ")" }
            if depth < 3 && next(8) == 0 { return "(?:" + pattern(depth + 1) + "|" + pattern(depth + 1) + ")" }
            return atoms[next(atoms.count)]
        }

        mutating func pattern(_ depth: Int = 0) -> String {
            var result = ""
            for _ in 0...next(3) {
                result += atom(depth)
                let operators = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?"]
                result += operators[next(operators.count)]
            }
            if next(6) == 0 { result += "|" + pattern(depth + 1) }
            return result
        }

        mutating func text() -> [UInt8] {
            let alphabet = Array("abcA1 _\n".utf8)
            return (0..<next(12)).map { _ in alphabet[next(alphabet.count)] }
        }
    }

    @Test func dfaNfaPrefilterAndBacktrackerAgree() throws {
        var random = Generator(state: 20_261_201)
        var checked = 0, overBudget = 0
        for _ in 0..<600 {
            let pattern = random.pattern()
            guard let regex = try? ByteRegex(pattern), let whole = try? ByteRegex(pattern, wholeMatch: true) else {
                continue
            }
            let node = try Parser.parse(pattern)
            for _ in 0..<12 {
                let text = random.text()
                guard let reference = Backtracker(text: text).search(node),
                      let anchored = Backtracker(text: text).wholeMatch(node) else {
                    overBudget += 1
                    continue
                }
                text.withUnsafeBytes { bytes in
                    #expect(regex.matches(bytes: bytes) == reference, "\(pattern) on \(text)")
                    #expect(regex.matchesBySimulation(bytes: bytes) == reference, "\(pattern) on \(text)")
                    #expect(whole.matches(bytes: bytes) == anchored, "whole \(pattern) on \(text)")
                }
                let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
                let expectedLines = lines.enumerated().filter { index, line in
                    (index < lines.count - 1 || !line.isEmpty) && Backtracker(text: Array(line)).search(node) == true
                }.count
                #expect(text.withUnsafeBytes { regex.countMatchingLines(in: $0) } == expectedLines,
                        "lines of \(pattern) in \(text)")
                checked += 1
            }
        }
        #expect(checked > 4000)
        #expect(overBudget < checked / 100)
    }

    /// Alternations of literals go through the prefilter alone; the DFA must agree line by line.
    @Test func literalPrefilterAgreesWithTheDFA() throws {
        var random = Generator(state: 7)
        let words = ["ERROR", "Traceback", "err", "or", "ab", "a", "xyz", "Tr"]
        for _ in 0..<300 {
            let pattern = (0...random.next(3)).map { _ in words[random.next(words.count)] }.joined(separator: "|")
            let regex = try ByteRegex(pattern)
            #expect(regex.prefilterIsExact)
            let alphabet = Array("ERORTracebkxyz \n".utf8)
            let text = (0..<random.next(400)).map { _ in alphabet[random.next(alphabet.count)] }
            let node = try Parser.parse(pattern)
            let lines = text.split(separator: 0x0A, omittingEmptySubsequences: true)
            let expected = lines.filter { Backtracker(text: Array($0)).search(node) == true }.count
            #expect(text.withUnsafeBytes { regex.countMatchingLines(in: $0) } == expected, "\(pattern)")
        }
    }

    @Test func requiredLiteralsAreFoundAndConfirmed() throws {
        let regex = try ByteRegex("ERROR.*timeout [0-9]+s")
        #expect(regex.prefilter == [Array("ERROR".utf8)] || regex.prefilter == [Array("timeout ".utf8)])
        #expect(!regex.prefilterIsExact)
        let text = Array("ERROR x\nERROR timeout 5s\ntimeout 5s ERROR\nINFO ERROR, timeout 12s.\n".utf8)
        #expect(text.withUnsafeBytes { regex.countMatchingLines(in: $0) } == 2)
    }
}
