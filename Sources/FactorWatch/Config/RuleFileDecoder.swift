/// Decodes one rule file: `rules:` (or Prometheus-style `groups: [{name, rules}]`), each rule strictly.
enum RuleFileDecoder {
    static let ruleKeys = ["alert", "expr", "severity", "for", "clear", "summary", "description", "runbook", "labels",
                           "annotations", "channels", "repeat", "resolve", "record", "keep_firing_for"]

    static func decode(file: String, problems: ProblemList, environment: [String: String]) -> [Rule] {
        decodeWithInhibitions(file: file, problems: problems, environment: environment).rules
    }

    /// The file's rules and its `inhibit:` entries, from one read of the file.
    static func decodeWithInhibitions(file: String, problems: ProblemList, environment: [String: String],
                                      cache: ParsedFileCache? = nil) -> (rules: [Rule], inhibitRules: [InhibitRule]) {
        let parsed = cache.map { $0.parse(file, problems: problems) } ?? readYAML(file, problems: problems)
        guard let root = parsed else { return ([], []) }
        let decoder = NodeDecoder(problems: problems, environment: environment,
                                  directory: ConfigLoader.parentDirectory(of: file))
        let inhibitRules = ConfigLoader.inhibitRules(inRuleFileRoot: root, decoder)
        return (decode(root: root, decoder), inhibitRules)
    }

    private static func decode(root: ConfigNode, _ decoder: NodeDecoder) -> [Rule] {
        let problems = decoder.problems
        guard let top = decoder.fields(root, what: "rule file", allowed: ["rules", "groups", "inhibit"]) else { return [] }
        var ruleNodes: [ConfigNode] = []
        if let node = top["rules"], let list = decoder.list(node, what: "rules") { ruleNodes += list }
        if let node = top["groups"], let groups = decoder.list(node, what: "groups") {
            for group in groups {
                guard let g = decoder.fields(group, what: "group", allowed: ["name", "rules", "interval", "limit"]),
                      let rulesNode = g["rules"], let list = decoder.list(rulesNode, what: "rules") else { continue }
                PrometheusRuleCompatibility.rejectGroupKeys(g, problems)
                ruleNodes += list
            }
        }
        if top["rules"] == nil && top["groups"] == nil && top["inhibit"] == nil {
            problems.error(root.location, "a rule file needs a \"rules:\" list")
        }
        return ruleNodes.enumerated().compactMap { index, node in decodeRule(node, number: index + 1, decoder) }
    }

    static func decodeRule(_ node: ConfigNode, number: Int, _ decoder: NodeDecoder) -> Rule? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "rule \(number)", allowed: ruleKeys) else { return nil }
        if let record = f["record"] {
            problems.error(record.location, "recording rules are not supported; write the expression into the alert "
                           + "rule's expr instead")
            return nil
        }
        guard let nameNode = f.required("alert", problems), let name = decoder.string(nameNode, what: "alert") else {
            return nil
        }
        let what = "rule \"\(name)\""
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
        else {
            problems.error(nameNode.location, "\(what): alert names use letters, digits, _ - and . only")
            return nil
        }
        var ok = true
        let expression = f.required("expr", problems).flatMap { expressionNode -> RuleExpression? in
            let parsed = parseExpression(expressionNode, what: what, decoder)
            if parsed == nil { ok = false }
            return parsed
        }
        var clear: RuleExpression?
        if let node = f["clear"] {
            clear = parseExpression(node, what: "\(what) clear", decoder)
            if clear == nil { ok = false }
        }
        var labels = Labels()
        if let node = f["labels"], let entries = decoder.entries(node, what: "labels") {
            for entry in entries {
                if let value = decoder.string(entry.value, what: "label \(entry.key)") { labels[entry.key] = value }
            }
        }
        let severity = PrometheusRuleCompatibility.severity(f, labels: &labels, what: what, decoder)
        if severity == nil { ok = false }
        let forDuration = PrometheusRuleCompatibility.duration(f["for"], what: "for", decoder) ?? 0
        let keepFiringFor = PrometheusRuleCompatibility.duration(f["keep_firing_for"], what: "keep_firing_for",
                                                                 decoder) ?? 0
        var annotations: [String: (String, ConfigNode)] = [:]
        for key in ["summary", "description", "runbook"] {
            if let node = f[key], let text = decoder.string(node, what: key) { annotations[key] = (text, node) }
        }
        if let node = f["annotations"], let entries = decoder.entries(node, what: "annotations") {
            for entry in entries {
                // Prometheus' name for the runbook link.
                let key = entry.key == "runbook_url" ? "runbook" : entry.key
                if let text = decoder.string(entry.value, what: entry.key) { annotations[key] = (text, entry.value) }
            }
        }
        func template(_ key: String) -> Template? {
            guard let (text, node) = annotations[key] else { return nil }
            do {
                return try Template(text)
            } catch {
                problems.error(offsetLocation(node, error.offset), "\(what) \(key): \(error.message)")
                ok = false
                return nil
            }
        }
        let summary = template("summary")
        let description = template("description")
        _ = template("runbook")  // checked like the others; rendered per alert
        var extra: [String: Template] = [:]
        for key in annotations.keys.sorted() where !["summary", "description", "runbook"].contains(key) {
            if let parsed = template(key) { extra[key] = parsed }
        }
        let channels = f["channels"].flatMap { decoder.strings($0, what: "channels") }
        let repeatInterval = f["repeat"].flatMap { decoder.duration($0, what: "repeat") }
        let resolve = f["resolve"].flatMap { decoder.bool($0, what: "resolve") } ?? true
        guard ok, let expression, let severity else { return nil }
        var rule = Rule(name: name, expression: expression, clear: clear, severity: severity, forDuration: forDuration,
                        summary: summary, description: description, runbook: annotations["runbook"]?.0 ?? "",
                        labels: labels, channels: channels, repeatInterval: repeatInterval, notifyResolved: resolve,
                        location: nameNode.location)
        rule.annotations = extra
        rule.keepFiringFor = keepFiringFor
        return rule
    }

    static func parseExpression(_ node: ConfigNode, what: String, _ decoder: NodeDecoder) -> RuleExpression? {
        guard let text = decoder.string(node, what: "expr") else { return nil }
        do {
            return try RuleExpression(text)
        } catch {
            decoder.problems.error(offsetLocation(node, error.offset), "\(what): \(error.message)")
            return nil
        }
    }

    /// The position of character `offset` inside a scalar (one line; a quoted scalar starts after its quote).
    static func offsetLocation(_ node: ConfigNode, _ offset: Int) -> SourceLocation {
        var location = node.location
        if case .scalar(_, let quoted) = node.value, quoted { location.column += 1 }
        location.column += offset
        return location
    }
}
