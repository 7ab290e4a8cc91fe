import Testing
import YAMLNodes

/// The accessors configuration decoding is written on: values or errors at the node's position.
struct DecodingTests {
    func value(_ text: String) throws -> YAMLNode {
        try YAMLNode.parse("v: " + text + "\n", file: "c.yaml").mapping()["v"]!
    }

    @Test func integersFollowTheCoreSchema() throws {
        #expect(try value("42").int() == 42)
        #expect(try value("-7").int() == -7)
        #expect(try value("0x1F").int() == 31)
        #expect(try value("0o17").int() == 15)
        let quoted = #expect(throws: YAMLError.self) { try value("\"42\"").int() }
        #expect(quoted?.description == "c.yaml:1:4: expected an integer, found the string \"42\" "
            + "(remove the quotes to give a number)")
        #expect(throws: YAMLError.self) { try value("4.5").int() }
        #expect(throws: YAMLError.self) { try value("[1]").int() }
    }

    @Test func doublesAcceptIntegersExponentsAndInfinities() throws {
        #expect(try value("0.001").double() == 0.001)
        #expect(try value("1e-3").double() == 0.001)
        #expect(try value("90").double() == 90)
        #expect(try value(".inf").double() == .infinity)
        #expect(try value("-.inf").double() == -.infinity)
        #expect(try value(".nan").double().isNaN)
        #expect(throws: YAMLError.self) { try value("nan").double() }
        #expect(throws: YAMLError.self) { try value("0x1p3").double() }
        #expect(throws: YAMLError.self) { try value("'1.5'").double() }
    }

    @Test func booleansAreTrueOrFalseOnly() throws {
        #expect(try value("true").bool() == true)
        #expect(try value("False").bool() == false)
        let yes = #expect(throws: YAMLError.self) { try value("yes").bool() }
        #expect(yes?.message == "expected true or false, found \"yes\" (write true)")
        let off = #expect(throws: YAMLError.self) { try value("off").bool() }
        #expect(off?.message == "expected true or false, found \"off\" (write false)")
        #expect(throws: YAMLError.self) { try value("\"true\"").bool() }
    }

    @Test func nullsAndStrings() throws {
        for text in ["", "~", "null", "NULL"] { #expect(try value(text).isNull) }
        #expect(try !value("'null'").isNull)
        #expect(try value("'null'").string() == "null")
        #expect(try value("12").string() == "12")
        let error = #expect(throws: YAMLError.self) { try value("{a: 1}").string() }
        #expect(error?.message == "expected a string, found a mapping")
    }

    @Test func stringListsAcceptASingleString() throws {
        #expect(try value("[email, sms]").strings() == ["email", "sms"])
        #expect(try value("email").strings() == ["email"])
        #expect(throws: YAMLError.self) { try value("[email, [sms]]").strings() }
    }

    @Test func oneOfSuggestsTheClosestValue() throws {
        let levels = ["critical", "high", "medium", "low"]
        #expect(try value("high").oneOf(levels) == "high")
        let typo = #expect(throws: YAMLError.self) { try value("critcal").oneOf(levels) }
        #expect(typo?.message == "unknown value \"critcal\", did you mean \"critical\"? "
            + "(expected one of critical, high, medium, low)")
        let far = #expect(throws: YAMLError.self) { try value("urgent").oneOf(levels) }
        #expect(far?.message == "unknown value \"urgent\" (expected one of critical, high, medium, low)")
    }

    @Test func strictMappingNamesTheUnknownKeyAndSuggests() throws {
        let allowed = ["alert", "expr", "severity", "for"]
        let rule = try YAMLNode.parse("alert: A\nexpr: x > 1\nsevrity: high\n", file: "r.yaml")
        let error = #expect(throws: YAMLError.self) { try rule.strictMapping(allowed: allowed) }
        #expect(error?.description == "r.yaml:3:1: unknown key \"sevrity\", did you mean \"severity\"?")
    }

    @Test func strictMappingListsValidKeysWhenNothingIsClose() throws {
        let rule = try YAMLNode.parse("alert: A\n  \nwhatever: 1\n")
        let error = #expect(throws: YAMLError.self) { try rule.strictMapping(allowed: ["alert", "expr"]) }
        #expect(error?.message == "unknown key \"whatever\" (valid keys: alert, expr)")
        #expect(error?.line == 3)
    }

    @Test func requiredAndOptionalKeys() throws {
        let map = try YAMLNode.parse("rules:\n  - alert: A\n    for:\n    expr: up\n", file: "r.yaml")
            .mapping().required("rules").sequence()[0].strictMapping(allowed: ["alert", "expr", "for", "clear"])
        #expect(try map.required("expr").string() == "up")
        #expect(map.optional("for") == nil)
        #expect(map.optional("clear") == nil)
        #expect(map.contains("for"))
        let missing = #expect(throws: YAMLError.self) { try map.required("clear") }
        #expect(missing?.description == "r.yaml:2:5: missing key \"clear\"")
        let empty = #expect(throws: YAMLError.self) { try map.required("for") }
        #expect(empty?.description == "r.yaml:3:5: key \"for\" needs a value")
        #expect(map.entries.map(\.key) == ["alert", "for", "expr"])
    }

    @Test func collectionsCheckTheirKind() throws {
        let list = #expect(throws: YAMLError.self) { try value("[1]").mapping() }
        #expect(list?.message == "expected a mapping, found a list")
        let scalar = #expect(throws: YAMLError.self) { try value("x").sequence() }
        #expect(scalar?.message == "expected a list, found \"x\"")
        #expect(try value("").sequence().isEmpty)
        let complexKey = #expect(throws: YAMLError.self) { try value("{[a]: 1}").mapping() }
        #expect(complexKey?.message == "expected a string key, found a list")
    }

    @Test func stringPairsKeepOrderAndWrittenForm() throws {
        let pairs = try value("{team: risk, tier: 1, 名称: 因子}").stringPairs()
        #expect(pairs.map(\.key) == ["team", "tier", "名称"])
        #expect(pairs.map(\.value) == ["risk", "1", "因子"])
    }

    @Test func decoderErrorsPointAtNodes() throws {
        let node = try value("-5m")
        #expect(node.error("repeat must be positive").description == "c.yaml:1:4: repeat must be positive")
    }

    @Test func editDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("emial", "email") == 1)
        #expect(Suggestion.editDistance("ca", "abc") == 3)
        #expect(Suggestion.closest(to: "emial", among: ["email", "log"]) == "email")
        #expect(Suggestion.closest(to: "Severity", among: ["severity"]) == "severity")
        #expect(Suggestion.closest(to: "x", among: ["alert"]) == nil)
    }
}
