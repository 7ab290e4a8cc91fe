#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes the `cases:` of a test file: steps, observations, expectations and silences.
struct CaseContext {
    let decoder: NodeDecoder
    let zone: TimeZoneRules
    /// The file-level `data:` and `collectors:`, which a case may override.
    let data: ConfigNode?
    let collectors: ConfigNode?
    let rules: Set<String>
    let channels: [String]

    var problems: ProblemList { decoder.problems }

    func decodeCase(_ node: ConfigNode, number: Int) -> RuleTestCase? {
        guard let f = decoder.fields(node, what: "case \(number)", allowed: RuleTestDecoder.caseKeys) else {
            return nil
        }
        let name = f.required("name", problems).flatMap { decoder.string($0, what: "name") } ?? "case \(number)"
        let collectors = decodeCollectors(data: f["data"] ?? data, collectors: f["collectors"] ?? collectors)

        var steps: [RuleTestStep] = []
        if let stepsNode = f.required("steps", problems), let items = decoder.list(stepsNode, what: "steps") {
            if items.isEmpty { problems.error(stepsNode.location, "case \"\(name)\" has no steps") }
            for item in items {
                if let step = decodeStep(item, after: steps.last?.at) { steps.append(step) }
            }
        }
        let first = steps.first?.at ?? Date(timeIntervalSince1970: 0)
        let last = steps.last?.at ?? first
        let silences = f["silences"].flatMap { decoder.list($0, what: "silences") }?.compactMap {
            decodeSilence($0, caseStart: first, caseEnd: last)
        } ?? []
        return RuleTestCase(name: name, location: node.location, collectors: collectors, silences: silences,
                            steps: steps, history: decodeHistory(f["history"]))
    }

    /// Collectors configured as in factorwatch.yaml, with paths relative to the data directory.
    private func decodeCollectors(data: ConfigNode?, collectors: ConfigNode?) -> [any Collector] {
        guard let collectors else {
            if let data { problems.error(data.location, "data: needs collectors: to say what to collect from it") }
            return []
        }
        var directory = decoder.directory
        if let data, let path = decoder.path(data, what: "data") {
            if (try? FileSystem.status(path))?.kind != .directory {
                problems.error(data.location, "data directory \(path) does not exist")
            }
            directory = path
        }
        let scoped = NodeDecoder(problems: problems, environment: decoder.environment, directory: directory)
        // Rule tests keep no state database: job runs come from the data directory's logs only.
        var collectorDecoder = CollectorDecoder(decoder: scoped, zone: zone, statePath: ":memory:", host: "test")
        return collectorDecoder.decode(collectors)
    }

    private func decodeStep(_ node: ConfigNode, after previous: Date?) -> RuleTestStep? {
        guard let f = decoder.fields(node, what: "step", allowed: RuleTestDecoder.stepKeys),
              let atNode = f.required("at", problems), let at = decodeTime(atNode, after: previous) else { return nil }
        var observations: [Observation] = []
        if let node = f["observations"], let items = decoder.list(node, what: "observations") {
            observations = items.compactMap(decodeObservation)
        }
        var errors: [CollectorErrorReport] = []
        if let node = f["errors"], let entries = decoder.entries(node, what: "errors") {
            for entry in entries {
                if let message = decoder.string(entry.value, what: "error of \(entry.key)") {
                    errors.append(CollectorErrorReport(collector: entry.key, message: message))
                }
            }
        }
        let expect = f["expect"].flatMap { decoder.list($0, what: "expect") }.map { $0.compactMap(decodeExpectation) }
        var step = RuleTestStep(at: at, location: node.location, observations: observations, errors: errors,
                                expect: expect)
        step.acknowledgements = f["ack"].flatMap { decoder.list($0, what: "ack") }?.compactMap(decodeAck) ?? []
        return step
    }

    /// An ISO 8601 time, or `+DURATION` after the previous step.
    private func decodeTime(_ node: ConfigNode, after previous: Date?) -> Date? {
        guard let text = decoder.string(node, what: "at") else { return nil }
        var date: Date?
        if text.hasPrefix("+") {
            guard let previous else {
                problems.error(node.location, "the first step needs a full time such as 2026-11-24T02:45:00+08:00")
                return nil
            }
            guard let seconds = parseDuration(String(text.dropFirst())) else {
                problems.error(node.location, "at: \"\(text)\" is not a duration such as +5m, +2h, +1d")
                return nil
            }
            date = previous.addingTimeInterval(seconds)
        } else {
            date = Timestamp.parse(text, in: zone)
            if date == nil {
                problems.error(node.location, "at: cannot read \"\(text)\" as a time; use ISO 8601 "
                               + "(2026-11-24T02:45:00+08:00) or +DURATION after the previous step")
            }
        }
        if let date, let previous, date < previous {
            problems.error(node.location, "at: \(Timestamp.format(date, in: zone)) is before the previous step "
                           + "(\(Timestamp.format(previous, in: zone))); steps run forward in time")
            return nil
        }
        return date
    }

    private func decodeObservation(_ node: ConfigNode) -> Observation? {
        if case .scalar(let text, let quoted) = node.value {
            do {
                return try ExpositionLine.parse(text)
            } catch {
                var location = node.location
                location.column += error.offset + (quoted ? 1 : 0)
                problems.error(location, "observation: \(error.message) in \"\(text)\"")
                return nil
            }
        }
        guard let f = decoder.fields(node, what: "observation", allowed: RuleTestDecoder.observationKeys),
              let metric = f.required("metric", problems).flatMap({ decoder.string($0, what: "metric") }),
              let valueNode = f.required("value", problems) else { return nil }
        guard let text = decoder.string(valueNode, what: "value") else { return nil }
        guard let value = ExpositionLine.number(text.trimmed()) else {
            problems.error(valueNode.location, "value must be a number, not \"\(text)\"")
            return nil
        }
        return Observation(metric, f["labels"].flatMap { decodeLabels($0) } ?? Labels(), value)
    }

    private func decodeLabels(_ node: ConfigNode) -> Labels? {
        guard let entries = decoder.entries(node, what: "labels") else { return nil }
        var labels = Labels()
        for entry in entries {
            if let value = decoder.string(entry.value, what: "label \(entry.key)") { labels[entry.key] = value }
        }
        return labels
    }

    private func decodeExpectation(_ node: ConfigNode) -> AlertExpectation? {
        guard let f = decoder.fields(node, what: "expected alert", allowed: RuleTestDecoder.expectationKeys),
              let alertNode = f.required("alert", problems),
              let alert = decoder.string(alertNode, what: "alert") else { return nil }
        if !rules.contains(alert) {
            problems.error(alertNode.location, "no rule under test is named \"\(alert)\"; "
                           + suggestion(for: alert, in: rules.sorted()))
        }
        var expectation = AlertExpectation(alert: alert, location: node.location)
        if let n = f["state"], let text = decoder.string(n, what: "state") {
            expectation.state = AlertPhase(rawValue: text)
            if expectation.state == nil {
                problems.error(n.location, "unknown state \"\(text)\"; expected one of: pending, firing, resolved")
            }
        }
        if let n = f["severity"], let text = decoder.string(n, what: "severity") {
            expectation.severity = Severity(rawValue: text)
            if expectation.severity == nil {
                problems.error(n.location, "unknown severity \"\(text)\"; " + suggestion(for: text, in: Severity.names))
            }
        }
        expectation.labels = f["labels"].flatMap { decodeLabels($0) }
        expectation.value = f["value"].flatMap { decoder.double($0, what: "value") }
        expectation.summary = f["summary"].flatMap { decoder.string($0, what: "summary") }
        if let n = f["notify"], let items = decoder.list(n, what: "notify") {
            expectation.notify = items.compactMap { item in
                guard let name = decoder.string(item, what: "notify") else { return nil }
                if !channels.contains(name) {
                    problems.error(item.location, "notify names unknown channel \"\(name)\"; "
                                   + suggestion(for: name, in: channels))
                }
                return name
            }
        }
        if let n = f["suppressed_by"], let text = decoder.string(n, what: "suppressed_by") {
            guard ["silence", "dedup", "inhibit", "ack", "schedule", "none"].contains(text) else {
                problems.error(n.location, "suppressed_by must be silence, inhibit, ack, schedule, dedup or none, "
                               + "not \"\(text)\"")
                return nil
            }
            expectation.suppressedBy = text
        }
        return expectation
    }

    private func decodeSilence(_ node: ConfigNode, caseStart: Date, caseEnd: Date) -> Silence? {
        guard let f = decoder.fields(node, what: "silence", allowed: RuleTestDecoder.silenceKeys) else { return nil }
        let rule = f["rule"].flatMap { decoder.string($0, what: "rule") }
        var matchers: [SilenceMatcher] = []
        if let n = f["matchers"], let items = decoder.list(n, what: "matchers") {
            for item in items {
                guard let text = decoder.string(item, what: "matcher") else { continue }
                guard let matcher = SilenceMatcher(parsing: text) else {
                    problems.error(item.location, "matcher \"\(text)\" is not name=value, name!=value, "
                                   + "name=~regex or name!~regex")
                    continue
                }
                matchers.append(matcher)
            }
        }
        func time(_ key: String, _ fallback: Date) -> Date {
            guard let n = f[key], let text = decoder.string(n, what: key) else { return fallback }
            guard let date = Timestamp.parse(text, in: zone) else {
                problems.error(n.location, "\(key): cannot read \"\(text)\" as a time")
                return fallback
            }
            return date
        }
        let starts = time("from", caseStart)
        let ends = time("until", caseEnd.addingTimeInterval(1))
        return Silence(rule: rule, matchers: matchers, startsAt: starts, endsAt: ends,
                       comment: f["comment"].flatMap { decoder.string($0, what: "comment") } ?? "test silence",
                       createdBy: "factorwatch test", createdAt: starts)
    }
}
