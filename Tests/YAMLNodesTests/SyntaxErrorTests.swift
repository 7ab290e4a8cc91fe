import Testing
import YAMLNodes

/// Each broken document must fail at the place a person would fix it, with words that say what is wrong.
struct SyntaxErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let fragment: String
        var description: String { text }
    }

    static let cases: [Case] = [
        Case(text: "a: b: c\n", line: 1, column: 5, fragment: "mapping values are not allowed here"),
        Case(text: "a: b\n  c: d\n", line: 2, column: 4, fragment: "mapping values are not allowed here"),
        Case(text: "a: 1\n\tb: 2\n", line: 2, column: 1, fragment: "indent with spaces"),
        Case(text: "a: @x\n", line: 1, column: 4, fragment: "found character \"@\" that cannot start any token"),
        Case(text: "a: `x`\n", line: 1, column: 4, fragment: "cannot start any token"),
        Case(text: "a:\n  b: 1\n c: 2\n", line: 3, column: 2, fragment: "mapping started at line 1 column 1"),
        Case(text: "- a\n- b\nc: d\n", line: 3, column: 1, fragment: "did not find expected \"-\""),
        Case(text: "a: \"unclosed\nb: 2\n", line: 3, column: 1, fragment: "quoted string started at line 1 column 4"),
        Case(text: "a: [1, 2\nb: 3\n", line: 2, column: 2, fragment: "list started at line 1 column 4"),
        Case(text: "a: {x: 1\n", line: 2, column: 1, fragment: "mapping started at line 1 column 4"),
        Case(text: "a: 'x' y\n", line: 1, column: 8, fragment: "quote the whole value"),
        Case(text: "key: \"bad \\q escape\"\n", line: 1, column: 11, fragment: "found unknown escape character"),
        Case(text: "a: *nope\n", line: 1, column: 4, fragment: "unknown alias \"*nope\""),
        Case(text: "a: b\n- c\n", line: 2, column: 1, fragment: "did not find expected key"),
        Case(text: "a: !<x y\n", line: 1, column: 7, fragment: "did not find the expected '>'"),
        Case(text: "%YAML 2.0\n---\na\n", line: 1, column: 1, fragment: "incompatible YAML document"),
    ]

    @Test(arguments: cases)
    func brokenDocumentFailsAtTheRightPlace(_ sample: Case) throws {
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(sample.text, file: "bad.yaml") }
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == sample.line)
        #expect(error?.column == sample.column)
        #expect(error?.message.contains(sample.fragment) == true, "\(error?.message ?? "")")
    }
}
