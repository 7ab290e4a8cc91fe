import Testing

@testable import ByteRegex

/// RE2's answers for the places where dialects differ, written out by hand from RE2's syntax documentation.
@Suite struct RE2DialectTests {
    /// (pattern, text, whole match?, RE2's answer)
    static let cases: [(String, String, Bool, Bool)] = [
        ("[[:alpha:]]+", "é", true, false), ("[[:alpha:]]+", "abc", true, true), ("\\w+", "é", true, false),
        ("\\w+", "a_1", true, true), ("\\W", "é", true, true), ("\\d", "٣", false, false), ("\\d+", "42", true, true),
        ("\\s", "\u{0B}", false, false), ("[[:space:]]", "\u{0B}", false, true), ("\\s", "\u{A0}", false, false),
        ("a{,3}", "a{,3}", true, true), ("a{,3}", "aaa", false, false), ("a{2,3}", "aa", true, true),
        ("a{2}", "aaa", true, false), ("x{0}y", "y", true, true), ("a{1,}", "aaaa", true, true),
        (".", "\n", false, false), ("(?s).", "\n", false, true), ("a.b", "a\nb", false, false),
        ("(?s:a.b)", "a\nb", false, true), ("[^a]", "\n", false, true),
        ("^b", "a\nb", false, false), ("(?m)^b", "a\nb", false, true), ("a$", "a\n", false, false),
        ("(?m)a$", "a\nb", false, true), ("\\Aa", "ba", false, false), ("a\\z", "ab", false, false),
        ("(?i)k", "K", true, true), ("(?i)[a-c]+", "AbC", true, true), ("(?i:a)b", "AB", true, false),
        ("(?i)a(?-i)b", "Ab", true, true), ("(?i)é", "É", true, true),
        ("\\bfoo\\b", "a foo b", false, true), ("\\bfoo\\b", "afoob", false, false), ("\\b", "é", false, false),
        ("\\Bo\\B", "foo", false, true), ("x*", "", true, true), ("", "anything", false, true),
        ("\\pL", "é", true, true), ("\\p{Lu}", "é", true, false), ("\\PL", "1", true, true),
        ("\\p{^L}", "1", true, true), ("[\\p{Nd}x]+", "x٣", true, true),
        ("\\x{263a}", "☺", true, true), ("^.$", "☺", false, true), ("^..$", "☺", false, false),
        ("[☺-☻]", "☻", true, true), ("\\x41", "A", true, true), ("\\101", "A", true, true), ("\\0101", "A1", true, false),
        ("[\\d]", "5", true, true), ("[^\\d]", "a", true, true), ("[[:^alpha:]]", "1", true, true),
        ("[]a]+", "]a", true, true), ("[a-]+", "-a", true, true), ("\\Q.*\\E", "a.*b", false, true),
        ("\\Q.*\\E", "ab", false, false), ("(?P<name>a)b", "ab", true, true), ("(?<n>a)|b", "b", true, true),
        ("(?U)a+", "aaa", true, true), ("a+?", "aaa", true, true), ("a|", "", true, true),
        ("(a|ab)(c|bcd)(d*)", "abcd", true, true), ("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false, false),
        ("ERROR|Traceback", "x Traceback (most", false, true), ("ERROR|Traceback", "error", false, false),
        ("\\.", "a", false, false), ("a\\*", "a*", true, true), ("[\\]]", "]", true, true),
        ("\\t\\n", "\t\n", true, true), ("[[:word:]]+", "a_1", true, true), ("[[:punct:]]", "é", false, false),
    ]

    @Test(arguments: 0..<cases.count) func answersAsRE2Does(_ index: Int) throws {
        let (pattern, text, whole, expected) = RE2DialectTests.cases[index]
        let regex = try ByteRegex(pattern, wholeMatch: whole)
        #expect(regex.matches(text) == expected, "\(pattern) on \(text.debugDescription)")
        var bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { regex.matchesBySimulation(bytes: $0) } == expected)
        bytes.removeAll()
    }

    /// (pattern, offset, message)
    static let errors: [(String, Int, String)] = [
        ("a**", 1, "bad repetition operator: **"), ("a{2}{3}", 1, "bad repetition operator: {2}{3}"),
        ("*", 0, "missing argument to repetition operator: *"), ("(?i)+", 4, "missing argument to repetition operator: +"),
        ("a{1001}", 1, "bad repetition operator: {1001}"), ("a{3,2}", 1, "bad repetition operator: {3,2}"),
        ("(a", 0, "missing closing ): (a"), ("a)", 1, "unexpected )"), ("[a", 0, "missing closing ]: [a"),
        ("[z-a]", 1, "invalid character class range: z-a"), ("[[:foo:]]", 1, "invalid character class range: [:foo:]"),
        ("(a)\\1", 3, "backreferences are not supported in RE2 syntax"),
        ("(?P=n)", 0, "backreferences are not supported in RE2 syntax"),
        ("\\k<n>", 0, "backreferences are not supported in RE2 syntax"),
        ("a(?=b)", 1, "lookahead is not supported in RE2 syntax"), ("a(?!b)", 1, "lookahead is not supported in RE2 syntax"),
        ("(?<=a)b", 0, "lookbehind is not supported in RE2 syntax"), ("(?<!a)b", 0, "lookbehind is not supported in RE2 syntax"),
        ("(?>a)", 0, "atomic groups are not supported in RE2 syntax"), ("a++", 2, "possessive repetition is not supported in RE2 syntax"),
        ("a\\Z", 1, "\\Z is not supported in RE2 syntax (use \\z)"), ("\\", 0, "trailing backslash at end of expression"),
        ("\\q", 0, "invalid escape sequence: \\q"), ("\\x{110000}", 0, "invalid escape sequence: \\x"),
        ("(?z)", 0, "invalid or unsupported Perl syntax: (?z"), ("(?i-)", 0, "missing argument to flags: (?i-)"),
        ("(x{1000}){1000}", 0, "expression too large: it compiles to more than 250000 instructions"),
    ]

    @Test(arguments: 0..<errors.count) func rejectsWithTheOffsetAndReason(_ index: Int) {
        let (pattern, offset, message) = RE2DialectTests.errors[index]
        #expect(throws: RegexSyntaxError(offset: offset, message: message)) { try ByteRegex(pattern) }
    }

    @Test func errorsNameTheOffset() {
        #expect(RegexSyntaxError(offset: 3, message: "unexpected )").description == "unexpected ) (at offset 3)")
    }

    @Test func aThousandRepetitionsAreAllowed() throws {
        let regex = try ByteRegex("a{1000}", wholeMatch: true)
        #expect(regex.matches(String(repeating: "a", count: 1000)))
        #expect(!regex.matches(String(repeating: "a", count: 999)))
    }
}
