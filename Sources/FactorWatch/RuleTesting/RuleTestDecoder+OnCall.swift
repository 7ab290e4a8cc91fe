/// The on-call events of a rule test step: `ack: [{alert: NAME, match: [l=v], comment, until, by}]`.
extension CaseContext {
    func decodeAck(_ node: ConfigNode) -> AcknowledgeRequest? {
        guard let f = decoder.fields(node, what: "ack", allowed: RuleTestDecoder.ackKeys),
              let alertNode = f.required("alert", problems),
              let alert = decoder.string(alertNode, what: "alert") else { return nil }
        if !rules.contains(alert) {
            problems.error(alertNode.location, "ack: no rule under test is named \"\(alert)\"; "
                           + suggestion(for: alert, in: rules.sorted()))
        }
        var matchers: [String] = []
        if let n = f["match"], let items = decoder.list(n, what: "match") {
            for item in items {
                guard let text = decoder.string(item, what: "matcher") else { continue }
                if SilenceMatcher(parsing: text) == nil {
                    problems.error(item.location, "matcher \"\(text)\" is not name=value, name!=value, "
                                   + "name=~regex or name!~regex")
                }
                matchers.append(text)
            }
        }
        var until: String?
        if let n = f["until"], let text = decoder.string(n, what: "until") {
            if parseDuration(text) == nil && Timestamp.parse(text, in: zone) == nil {
                problems.error(n.location, "until: cannot read \"\(text)\"; use a duration (4h) or an ISO 8601 time")
            }
            until = text
        }
        return AcknowledgeRequest(alert: nil, rule: alert, matchers: matchers, until: until,
                                  comment: f["comment"].flatMap { decoder.string($0, what: "comment") } ?? "",
                                  author: f["by"].flatMap { decoder.string($0, what: "by") } ?? "factorwatch test")
    }
}
