import FactorWatch
import Testing

@Suite struct TemplateTests {
    private let labels: Labels = ["date": "20261119", "dir": "data/barra_factors/by_date", "factor": "beta"]

    private func render(_ source: String, value: Double = 2, fields: [String: String] = [:]) throws -> String {
        try Template(source, fields: Set(fields.keys)).render(value: value, labels: labels, fields: fields)
    }

    @Test func literalTextIsUnchanged() throws {
        #expect(try render("Disk almost full") == "Disk almost full")
        #expect(try Template("plain { text } here").isPlainText)
        #expect(try render("") == "")
    }

    @Test func valueAndLabelsInBothSpellings() throws {
        #expect(try render("No factor data for {{ $value }} trading days (latest {{ $labels.date }})")
            == "No factor data for 2 trading days (latest 20261119)")
        #expect(try render("{{.Value}} {{ .Labels.factor }}") == "2 beta")
        #expect(try render("{{ $value }}", value: 0.000123) == "0.000123")
        #expect(try render("{{ $value }}", value: .nan) == "NaN")
    }

    @Test func missingLabelRendersEmpty() throws {
        #expect(try render("[{{ $labels.nope }}]") == "[]")
    }

    @Test func printfFormatsNumbers() throws {
        #expect(try render("{{ printf \"%.2f\" $value }}", value: 3.14159) == "3.14")
        #expect(try render("{{ printf \"%.1f%%\" $value }}", value: 93.25) == "93.2%")
        #expect(try render("{{ printf \"%5.1f|%-6s|%d\" $value $labels.factor 42 }}", value: 1.25) == "  1.2|beta  |42")
        #expect(try render("{{ printf \"%03d %x %e\" 7 255 1234.5 }}") == "007 ff 1.234500e+03")
        #expect(try render("{{ printf \"%s=%v\" \"beta\" $value }}", value: 0.5) == "beta=0.5")
        #expect(try render("{{ printf \"%q\" $labels.factor }}") == "\"beta\"")
        #expect(try render("{{ printf \"%d\" $value }}", value: 1.5) == "%!d(1.5)")
        #expect(try render("{{ printf \"%.2f %.2f\" $value }}", value: 1) == "1.00 %!f(MISSING)")
    }

    @Test func pipelinesPassTheValueLast() throws {
        #expect(try render("{{ $value | printf \"%.1f\" }}", value: 0.25) == "0.2")
        #expect(try render("{{ $labels.factor | toUpper }}") == "BETA")
        #expect(try render("{{ $value | printf \"%.3f\" | toUpper }}", value: .infinity) == "INF")
    }

    @Test func humanizeFunctions() throws {
        #expect(try render("{{ humanize $value }}", value: 1_234_567) == "1.235M")
        #expect(try render("{{ humanize $value }}", value: 0.0012) == "1.2m")
        #expect(try render("{{ humanize $value }}", value: 999) == "999")
        #expect(try render("{{ humanize1024 $value }}", value: 1536) == "1.5Ki")
        #expect(try render("{{ humanizePercentage $value }}", value: 0.2345) == "23.45%")
        #expect(try render("{{ humanizeDuration $value }}", value: 93_784) == "1d 2h 3m 4s")
        #expect(try render("{{ humanizeDuration $value }}", value: 0.25) == "250ms")
        #expect(try render("{{ $value | humanize }}", value: 4_900) == "4.9k")
    }

    @Test func indexAndTitle() throws {
        #expect(try render("{{ index $labels \"factor\" }}") == "beta")
        #expect(try render("{{ title \"stale factor data\" }}") == "Stale Factor Data")
    }

    @Test func trimMarkersAndComments() throws {
        #expect(try render("a  {{- $value -}}  b") == "a2b")
        #expect(try render("a {{/* why this alert exists */}}b") == "a b")
        #expect(try render("x {{- /* gone */ -}} y") == "xy")
    }

    @Test func extraFieldsWhenDeclared() throws {
        #expect(try render("{{ .Summary }}!", fields: ["Summary": "disk full"]) == "disk full!")
        #expect(throws: TemplateError.self) { try Template("{{ .Summary }}") }
    }

    @Test func stringsMayContainClosingBraces() throws {
        #expect(try render("{{ printf \"}}%s\" \"x\" }}") == "}}x")
    }

    @Test(arguments: [
        ("summary {{ $value ", 8, "unclosed action \"{{\""),
        ("{{ $valeu }}", 3, "unknown variable \"$valeu\""),
        ("ok {{ .Valu }}", 6, "unknown field \".Valu\" at column 7, expected one of .Value, .Labels"),
        ("{{ printff \"%d\" 1 }}", 3, "unknown function \"printff\" at column 4, did you mean \"printf\"?"),
        ("{{ humanize }}", 3, "humanize takes 1 argument, got 0"),
        ("{{ }}", 3, "missing value in action"),
        ("{{ $value | }}", 12, "missing value in action"),
        ("{{ if $value }}x{{ end }}", 3, "\"if\" is not supported"),
        ("{{ printf \"%y\" $value }}", 10, "bad printf format"),
        ("{{ printf $value }}", 10, "printf needs a quoted format string"),
        ("{{ $value $labels }}", 10, "a value cannot take arguments"),
        ("{{ $labels.a.b }}", 3, "$labels has no field \"b\""),
        ("{{ \"open }}", 3, "unclosed string"),
        ("{{ $value }", 0, "unclosed action"),
        ("{{ /* never closed }}", 0, "unclosed comment"),
        ("{{ $value ! }}", 10, "unexpected \"!\" in action"),
    ])
    func malformedTemplatesReportOffset(source: String, offset: Int, message: String) {
        do {
            _ = try Template(source)
            Issue.record("\(source) parsed")
        } catch {
            #expect(error.offset == offset, "\(source): \(error.message)")
            #expect(error.message.contains(message), "\(source): \(error.message)")
        }
    }

    @Test func everyPrefixEitherParsesOrPointsInsideTheText() {
        let source = "Stale {{- /* c */ -}} {{ $labels.date }}: {{ $value | printf \"%.2f\" }} {{ humanize .Value }}"
        let characters = Array(source)
        for length in 0...characters.count {
            let prefix = String(characters[0..<length])
            do {
                _ = try Template(prefix).render(value: 1, labels: labels)
            } catch {
                #expect(error.offset >= 0 && error.offset <= length, "\(prefix): \(error.message)")
            }
        }
    }
}
