import Foundation
@testable import FactorWatch
import Testing

/// promtool's rule test format, run through Debian's `promtool test rules` and through `factorwatch test`.
/// What fires is promtool's answer: a probe file expecting nothing makes promtool print every firing alert;
/// those become the expectations of the file both then run, which both must pass; the same file with one
/// expectation made wrong must fail in both.
@Suite(.serialized) struct PromtoolFormatTests {
    static let handWrittenRules = """
        groups:
        - name: handwritten
          rules:
          - alert: JobDown
            expr: up{job=~"api|db", instance!="spare"} == 0
            for: 2m
            labels: {severity: critical, team: data}
            annotations:
              summary: '{{ $labels.instance }} of {{ $labels.job }} is down'
              runbook_url: 'https://runbooks.example/{{ $labels.job }}'
          - alert: QueueHigh
            expr: sum by (job) (queue_depth{job!~"batch.*"}) > 10
            keep_firing_for: 2m
            labels: {severity: high}
            annotations: {description: 'depth {{ $value }}'}
          - alert: HeartbeatMissing
            expr: absent(heartbeat{job="etl"})
            labels: {severity: medium}
          - alert: ErrorsWithoutTraffic
            expr: errors > 0 unless on(job) requests > 0 or errors_total{job="db"} and errors_total > 1
            labels: {severity: low}
        """

    static let handWrittenSeries: [(series: String, values: String)] = [
        ("up{job=\"api\", instance=\"a\"}", "1 0x4 1"),
        ("up{job=\"db\", instance=\"b\"}", "0x2 stale _x2 0"),
        ("up{job=\"api\", instance=\"spare\"}", "0x6"),
        ("queue_depth{job=\"api\", q=\"1\"}", "2+3x6"),
        ("queue_depth{job=\"api\", q=\"2\"}", "9-3x3 _ _ _"),
        ("queue_depth{job=\"batch-1\"}", "100x6"),
        ("heartbeat{job=\"etl\"}", "1 _x1 stale 1"),
        ("errors{job=\"api\"}", "0 1x5"),
        ("requests{job=\"api\"}", "5 5 stale"),
        ("errors_total{job=\"db\"}", "1 2 3 _x4"),
    ]

    @Test(.enabled(if: PromtoolFiles.executable != nil || runningInCI, "promtool is not installed"),
          .timeLimit(.minutes(1)))
    func handWrittenRulesAgreeWithPromtool() throws {
        try #require(PromtoolFiles.executable != nil, "promtool is missing: scripts/install-deps.sh installs it")
        let directory = TemporaryDirectory("promtool-format")
        directory.write("rules.yaml", Self.handWrittenRules + "\n")
        let file = PromtoolFormatFile(alerts: ["JobDown", "QueueHigh", "HeartbeatMissing", "ErrorsWithoutTraffic"],
                                      inputSeries: Self.handWrittenSeries, evalMinutes: [0, 1, 2, 3, 4, 5, 6, 8, 12, 14])
        let agreed = try crossCheck(file, in: directory)
        // promtool's own answers, as the README explains them: `for`, keep_firing_for, lookback and stale.
        #expect(agreed.expected[PromtoolFormatFile.key("JobDown", 2)]?.map(\.labels["instance"]) == ["b"])
        #expect(agreed.expected[PromtoolFormatFile.key("JobDown", 3)]?.map(\.labels["instance"]) == ["a"])
        #expect(agreed.expected[PromtoolFormatFile.key("HeartbeatMissing", 2)]?.count == 1)
        // The last queue samples (6m) are seen until 11m; then keep_firing_for holds the alert two more minutes.
        #expect(agreed.expected[PromtoolFormatFile.key("QueueHigh", 12)]?.count == 1)
        #expect(agreed.expected[PromtoolFormatFile.key("QueueHigh", 14)] == nil)
    }

    @Test(.enabled(if: PromtoolFiles.executable != nil || runningInCI, "promtool is not installed"),
          .timeLimit(.minutes(2)))
    func generatedRulesAgreeWithPromtool() throws {
        try #require(PromtoolFiles.executable != nil, "promtool is missing: scripts/install-deps.sh installs it")
        var generator = DifferentialGenerator(seed: 27)
        let patterns = ["V+0x6", "V _x2 V stale _ V", "_x3 V-0x3", "Vx1 stale", "V V _x4 V"]
        var series: [(series: String, values: String)] = []
        var timeline: [[Observation]] = Array(repeating: [], count: 7)
        for (number, item) in generator.series.enumerated() {
            let value = PromtoolFiles.inputValue(item.value)
            let pattern = item.value.isFinite ? patterns[number % patterns.count] : "V V _ V stale V V"
            let values = pattern.replacingOccurrences(of: "V", with: value)
            series.append((PromtoolFiles.seriesText(item), values))
            let parsed = PromtoolSeries(metric: item.metric, labels: Labels(Dictionary(uniqueKeysWithValues:
                item.labels)), points: try PromtoolSeries.points(values))
            for minute in 0..<7 {
                if let seen = parsed.value(at: Double(minute * 60), interval: 60) {
                    timeline[minute].append(Observation(item.metric, parsed.labels, seen))
                }
            }
        }
        let (rules, names) = generatedRules(&generator, timeline: timeline, count: 40)
        let directory = TemporaryDirectory("promtool-format")
        directory.write("rules.yaml", rules)
        let file = PromtoolFormatFile(alerts: names, inputSeries: series, evalMinutes: Array(0...6))
        let agreed = try crossCheck(file, in: directory)
        let firing = agreed.expected.values.filter { !$0.isEmpty }.count
        #expect(firing * 4 > names.count * 7, "only \(firing) of \(names.count * 7) checks see an alert firing")
    }

    /// Rules over generated expressions that evaluate without error at every minute, with no two series of the
    /// same labels (Prometheus refuses those as an alert's output) and an answer independent of series order.
    private func generatedRules(_ generator: inout DifferentialGenerator, timeline: [[Observation]], count: Int)
        -> (String, [String]) {
        var lines = ["groups:", "- name: generated", "  rules:"]
        var names: [String] = []
        var seen: Set<String> = []
        for attempt in 0..<(count * 20) where names.count < count {
            let text = generator.expression().text
            guard seen.insert(text).inserted, let expression = try? RuleExpression(text),
                  timeline.allSatisfy({ Self.evaluatesStably(expression, $0) }) else { continue }
            let name = "G\(names.count)"
            names.append(name)
            lines += ["  - alert: \(name)", "    expr: \(PromtoolFiles.quoted(text))",
                      "    labels: {severity: \(["critical", "high", "medium", "low"][attempt % 4])}",
                      "    annotations: {summary: 'rule \(name)'}"]
            if attempt % 3 == 1 { lines.append("    for: \(1 + attempt % 2)m") }
            if attempt % 5 == 2 { lines.append("    keep_firing_for: \(1 + attempt % 3)m") }
        }
        return (lines.joined(separator: "\n") + "\n", names)
    }

    private static func evaluatesStably(_ expression: RuleExpression, _ observations: [Observation]) -> Bool {
        let orders = [observations, observations.reversed(), observations.enumerated().sorted {
            ($0.offset * 7) % 11 < ($1.offset * 7) % 11
        }.map(\.element)]
        guard let answers = try? orders.map({ try expression.evaluate(ObservationIndex($0), at: 0) }) else {
            return false
        }
        let labelSets = answers[0].map(\.labels.identity)
        guard Set(labelSets).count == labelSets.count else { return false }
        return answers.allSatisfy { Set($0) == Set(answers[0]) }
    }

    /// Probes promtool for what fires, writes that as the expectations, and checks that promtool and
    /// `factorwatch test` both pass the file and both fail each of a few wrong variants of it.
    @discardableResult
    private func crossCheck(_ file: PromtoolFormatFile, in directory: TemporaryDirectory) throws
        -> PromtoolFormatFile {
        let probe = try PromtoolFiles.run(directory.write("probe.yaml", file.text()))
        #expect(probe.output.contains("Unit Testing"), "\(probe.output.prefix(2_000))")
        var agreed = file
        agreed.expected = PromtoolFormatFile.reported(in: probe.output)
        let path = directory.write("test.yaml", agreed.text())
        let theirs = try PromtoolFiles.run(path)
        try #require(theirs.status == 0, "promtool rejects its own answers: \(theirs.output.prefix(3_000))")
        let ours = try FactorWatchBinary.test(path)
        #expect(ours.status == 0, "factorwatch test disagrees with promtool:\n\(ours.output.prefix(6_000))")

        for (number, variant) in wrongVariants(of: agreed).enumerated() {
            let wrong = directory.write("wrong\(number).yaml", variant.text())
            let promtool = try PromtoolFiles.run(wrong)
            let factorwatch = try FactorWatchBinary.test(wrong)
            #expect(promtool.status == 1, "promtool passes wrong variant \(number): \(promtool.output.prefix(1_000))")
            #expect(factorwatch.status == 1,
                    "factorwatch test passes wrong variant \(number): \(factorwatch.output.prefix(1_000))")
        }
        return agreed
    }

    /// The file with one mistake each: a firing alert left out, a label changed, an annotation changed, and an
    /// alert expected where none fires.
    private func wrongVariants(of file: PromtoolFormatFile) -> [PromtoolFormatFile] {
        var variants: [PromtoolFormatFile] = []
        let firing = file.expected.keys.sorted().filter { !(file.expected[$0] ?? []).isEmpty }
        if let key = firing.first {
            var dropped = file
            dropped.expected[key]!.removeFirst()
            variants.append(dropped)
        }
        if let key = firing.last {
            var relabelled = file
            relabelled.expected[key]![0].labels["severity"] = "wrong"
            variants.append(relabelled)
            var annotated = file
            annotated.expected[key]![0].annotations["summary"] = "not what the rule says"
            variants.append(annotated)
        }
        let quiet = file.alerts.flatMap { alert in file.evalMinutes.map { PromtoolFormatFile.key(alert, $0) } }
            .first { (file.expected[$0] ?? []).isEmpty }
        if let quiet {
            var invented = file
            invented.expected[quiet] = [ReportedAlert(labels: ["job": "invented"], annotations: [:])]
            variants.append(invented)
        }
        #expect(variants.count == 4)
        return variants
    }
}

/// The expanding notation and the decoder's problems, without promtool.
struct PromtoolNotationTests {
    @Test func valuesExpandAsPromtoolDocumentsThem() throws {
        let points = try PromtoolSeries.points("-2+4x3 1-2x2 7x1 _ _x2 stale 1e3 -Inf")
        let expected: [PromtoolSeries.Point] = [.value(-2), .value(2), .value(6), .value(10), .value(1), .value(-1),
                                                .value(-3), .value(7), .value(7), .missing, .missing, .missing,
                                                .stale, .value(1000), .value(-.infinity)]
        #expect(points == expected)
        #expect(throws: PromtoolSeries.Failure.self) { try PromtoolSeries.points("1 2+x3") }
    }

    @Test func lookbackSeesTheLatestSampleForFiveMinutesUnlessItIsStale() throws {
        let series = PromtoolSeries(metric: "up", labels: Labels(), points: try PromtoolSeries.points("1 _x2 2 stale"))
        #expect(series.value(at: 120, interval: 60) == 1)
        #expect(series.value(at: 180, interval: 60) == 2)
        #expect(series.value(at: 240, interval: 60) == nil)
        let lone = PromtoolSeries(metric: "up", labels: Labels(), points: [.value(3)])
        #expect(lone.value(at: 300, interval: 60) == 3)
        #expect(lone.value(at: 301, interval: 60) == nil)
    }

    @Test func unsupportedPartsAreRefusedWhereTheyAreWritten() throws {
        let directory = TemporaryDirectory("promtool-format")
        directory.write("rules.yaml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n"
                        + "    labels: {severity: low}\n")
        let file = directory.write("test.yaml", """
            rule_files: [rules.yaml]
            tests:
            - input_series:
              - {series: 'up{job="x"}', values: '0 1+x2'}
              promql_expr_test:
              - {expr: up, eval_time: 0m, exp_samples: []}
              alert_rule_test:
              - {eval_time: 1m, alertname: B}
            """)
        let error = try #require(throws: ConfigurationError.self) { try RuleTestDecoder.load(file: file) }
        let messages = error.problems.map(\.description)
        #expect(messages.contains { $0.hasPrefix("\(file):4:40: values: \"1+x2\" is not a value") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("\(file):6:3: promql_expr_test is not supported") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("\(file):8:32: no rule under test is named \"B\"") }, "\(messages)")
    }
}
