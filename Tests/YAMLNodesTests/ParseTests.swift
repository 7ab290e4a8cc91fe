import Testing
import YAMLNodes

/// Shapes, positions, scalar styles and documents.
struct ParseTests {
    let rules = """
        # shipped rules
        rules:
          - alert: FactorDataStale
            expr: "factor_file_age_trading_days >= 2"
            for:
            labels: {team: risk, 名称: 因子}
          - alert: DiskAlmostFull
            severity: critical

        """

    @Test func nestedStructureKeepsKeyOrder() throws {
        let root = try YAMLNode.parse("z: 1\na: 2\nm: {q: [1, 2, {r: s}]}\n")
        #expect(try root.mapping().keys == ["z", "a", "m"])
        let inner = try root.mapping().required("m").mapping().required("q").sequence()
        #expect(inner.count == 3)
        #expect(try inner[2].mapping().required("r").string() == "s")
        #expect(root.description == "{z: 1, a: 2, m: {q: [1, 2, {r: s}]}}")
    }

    @Test func nodesAndKeysRememberTheirPositions() throws {
        let root = try YAMLNode.parse(rules, file: "rules/a.yaml")
        let list = try root.mapping().required("rules")
        // The index is counted independently: the characters before line 3, plus the two before column 3.
        let lines = rules.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" })
        let index = lines[0].count + 1 + lines[1].count + 1 + 2
        #expect(list.mark == YAMLMark(file: "rules/a.yaml", line: 3, column: 3, index: index))
        let first = try list.sequence()[0].mapping()
        #expect(first.mark.line == 3 && first.mark.column == 5)
        #expect(first.keyNode("expr")?.mark.line == 4 && first.keyNode("expr")?.mark.column == 5)
        let expr = try first.required("expr")
        #expect(expr.mark.line == 4 && expr.mark.column == 11)
        #expect(expr.mark.description == "rules/a.yaml:4:11")
        let second = try list.sequence()[1].mapping()
        #expect(second.keyNode("severity")?.mark.line == 8)
        #expect(second.keyNode("severity")?.mark.column == 5)
    }

    @Test func scalarStylesTellQuotedFromPlain() throws {
        let root = try YAMLNode.parse("""
            plain: 1
            double: "1"
            single: '1'
            literal: |
              line one
              line two
            folded: >
              one
              two

            """).mapping()
        #expect(root["plain"]?.kind == .scalar("1", .plain))
        #expect(root["double"]?.kind == .scalar("1", .doubleQuoted))
        #expect(root["single"]?.kind == .scalar("1", .singleQuoted))
        #expect(root["literal"]?.kind == .scalar("line one\nline two\n", .literal))
        #expect(root["folded"]?.kind == .scalar("one two\n", .folded))
        #expect(try root.required("plain").int() == 1)
        #expect(throws: YAMLError.self) { try root.required("double").int() }
    }

    @Test func tagsAreResolved() throws {
        let root = try YAMLNode.parse("a: !!str 12\nb: !custom x\n").mapping()
        #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["b"]?.tag == "!custom")
        #expect(throws: YAMLError.self) { try root.required("a").int() }
        #expect(try root.required("a").string() == "12")
    }

    @Test func anchorsAndAliasesExpand() throws {
        let root = try YAMLNode.parse("""
            base: &email {channels: [email], repeat: 12h}
            high: *email
            list: &l [a, b]
            again: *l

            """).mapping()
        #expect(root["high"] == root["base"])
        #expect(try root.required("again").strings() == ["a", "b"])
    }

    @Test func mergeKeysFillMissingKeysAndExplicitKeysWin() throws {
        let root = try YAMLNode.parse("""
            defaults: &d {repeat: 2h, channels: [email]}
            critical:
              <<: *d
              repeat: 30m

            """).mapping()
        let critical = try root.required("critical").mapping()
        #expect(critical.keys == ["repeat", "channels"])
        #expect(try critical.required("repeat").string() == "30m")
        #expect(try critical.required("channels").strings() == ["email"])
    }

    @Test func aliasExpansionIsBounded() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(text) }
        #expect(error?.message.contains("aliases expand this document beyond 250000 nodes") == true)
        #expect(error?.line == 6)
        // A small limit applies to small documents too.
        let small = text.split(separator: "\n")[0...2].joined(separator: "\n")
        #expect(throws: YAMLError.self) { try YAMLNode.parse(small, nodeLimit: 50) }
        #expect(try YAMLNode.parse(small, nodeLimit: 2_000).mapping().keys.count == 3)
    }

    @Test func duplicateKeysPointAtTheSecondKey() throws {
        let error = #expect(throws: YAMLError.self) {
            try YAMLNode.parse("rules:\n  - alert: A\n    expr: x\n    alert: B\n", file: "r.yaml")
        }
        #expect(error?.description == "r.yaml:4:5: duplicate key \"alert\" (first defined at line 2 column 5)")
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let root = try YAMLNode.parse("- {a: 1}\n- {a: 2}\n")
        #expect(try root.sequence().count == 2)
    }

    @Test func chineseContentSurvivesWithCharacterColumns() throws {
        let root = try YAMLNode.parse("名称: 因子数据\n说明: \"中文说明\"\n").mapping()
        #expect(root.keys == ["名称", "说明"])
        #expect(try root.required("名称").string() == "因子数据")
        #expect(root["名称"]?.mark.column == 5)
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse("名称: 因子: 数据\n") }
        #expect(error?.line == 1 && error?.column == 7, "\(String(describing: error))")
    }

    @Test func byteOrderMarkAndWindowsLineEndings() throws {
        let root = try YAMLNode.parse("\u{FEFF}a: 1\r\nb: \"x\"\r\n").mapping()
        #expect(root.keys == ["a", "b"])
        #expect(try root.required("b").string() == "x")
        #expect(root["b"]?.mark.line == 2)
    }

    @Test func emptyDocumentIsNull() throws {
        #expect(try YAMLNode.parse("").isNull)
        #expect(try YAMLNode.parse("# nothing here\n\n").isNull)
        #expect(try YAMLNode.parse("").mapping().isEmpty)
        #expect(try YAMLNode.parseAll("").isEmpty)
    }

    @Test func secondDocumentIsAnErrorButParseAllReadsEvery() throws {
        let text = "a: 1\n---\nb: 2\n"
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(text) }
        #expect(error?.line == 2 && error?.column == 1)
        let all = try YAMLNode.parseAll(text)
        #expect(all.count == 2)
        #expect(try all[1].mapping().required("b").int() == 2)
    }

    @Test func anchorsDoNotCrossDocuments() throws {
        #expect(throws: YAMLError.self) { try YAMLNode.parseAll("a: &x 1\n---\nb: *x\n") }
    }
}
