/// Pairs the expected alerts of a step with the actual ones, one to one, comparing only the fields each
/// expectation gives. The step passes when every expectation has a partner and no alert is left over.
public struct AlertComparison: Sendable {
    public let expected: [AlertExpectation]
    public let actual: [ActualAlert]
    /// For each expectation, the index of its partner in `actual`.
    public let partner: [Int?]

    public init(expected: [AlertExpectation], actual: [ActualAlert]) {
        self.expected = expected
        self.actual = actual
        // Bipartite matching by augmenting paths: a greedy choice could take the alert a later, stricter
        // expectation needs.
        var owner = [Int?](repeating: nil, count: actual.count)
        func augment(_ e: Int, _ visited: inout [Bool]) -> Bool {
            for a in actual.indices where !visited[a] && AlertComparison.differences(expected[e], actual[a]).isEmpty {
                visited[a] = true
                if owner[a] == nil || augment(owner[a]!, &visited) {
                    owner[a] = e
                    return true
                }
            }
            return false
        }
        for e in expected.indices {
            var visited = [Bool](repeating: false, count: actual.count)
            _ = augment(e, &visited)
        }
        var partner = [Int?](repeating: nil, count: expected.count)
        for (a, e) in owner.enumerated() { if let e { partner[e] = a } }
        self.partner = partner
    }

    public var missing: [AlertExpectation] { expected.indices.filter { partner[$0] == nil }.map { expected[$0] } }

    public var unexpected: [ActualAlert] {
        let taken = Set(partner.compactMap { $0 })
        return actual.indices.filter { !taken.contains($0) }.map { actual[$0] }
    }

    public var passed: Bool { missing.isEmpty && unexpected.isEmpty }

    /// The fields where `actual` does not meet `expectation`, each as "field: expected X, got Y".
    public static func differences(_ expectation: AlertExpectation, _ actual: ActualAlert) -> [String] {
        let report = actual.report
        var out: [String] = []
        if expectation.alert != report.rule { out.append("alert: expected \(expectation.alert), got \(report.rule)") }
        if let labels = expectation.labels, labels != report.labels {
            out.append("labels: expected \(labels), got \(report.labels)")
        }
        if let state = expectation.state, state != report.state {
            out.append("state: expected \(state.rawValue), got \(report.state.rawValue)")
        }
        if let severity = expectation.severity, severity != report.severity {
            out.append("severity: expected \(severity.rawValue), got \(report.severity.rawValue)")
        }
        if let value = expectation.value, !close(value, report.value) {
            out.append("value: expected \(formatValue(value)), got \(formatValue(report.value))")
        }
        if let summary = expectation.summary, summary != report.summary {
            out.append("summary: expected \"\(summary)\", got \"\(report.summary)\"")
        }
        if let annotations = expectation.annotations, annotations != actual.annotations ?? [:] {
            out.append("annotations: expected \(annotationText(annotations)), "
                       + "got \(annotationText(actual.annotations ?? [:]))")
        }
        if let notify = expectation.notify, notify.sorted() != actual.notified {
            out.append("notify: expected [\(notify.joined(separator: ", "))], "
                       + "got [\(actual.notified.joined(separator: ", "))]")
        }
        if let by = expectation.suppressedBy, by != (report.suppressedBy ?? "none") {
            out.append("suppressed_by: expected \(by), got \(report.suppressedBy ?? "none")")
        }
        return out
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    /// A readable diff: matched alerts unmarked, missing expectations with `-`, unexpected alerts with `+`, and
    /// for each missing one the nearest actual alert of the same rule with the fields that differ.
    public func diff() -> [String] {
        var lines: [String] = []
        for (e, a) in partner.enumerated() {
            lines.append(a.map { "  " + actual[$0].description } ?? "- " + expected[e].description)
        }
        for alert in unexpected { lines.append("+ " + alert.description) }
        for expectation in missing {
            let candidates = unexpected.filter { $0.report.rule == expectation.alert }
            let nearest = candidates.min { a, b in
                AlertComparison.differences(expectation, a).count < AlertComparison.differences(expectation, b).count
            }
            if let nearest {
                lines.append("  \(expectation.alert) at \(expectation.location): "
                             + AlertComparison.differences(expectation, nearest).joined(separator: "; "))
            } else {
                lines.append("  \(expectation.alert) at \(expectation.location): no such alert at this step")
            }
        }
        return lines
    }
}
