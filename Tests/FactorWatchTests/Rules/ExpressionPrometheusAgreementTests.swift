import FactorWatch
import Testing

/// Cases where the answer is Prometheus' own: each expectation is what `promtool test rules` (Prometheus 2.42)
/// reports for the same expression over the same series.
@Suite struct ExpressionPrometheusAgreementTests {
    private let disks = [
        Observation("disk_used_percent", ["path": "/a"], 5),
        Observation("disk_used_percent", ["path": "/b"], 7),
        Observation("disk_used_percent", ["path": "/b", "device": "x"], 9),
        Observation("limit", ["path": "/b"], 3),
        Observation("lone", [:], 5),
    ]

    private func evaluationError(_ source: String, _ observations: [Observation]) throws -> String? {
        let expression = try RuleExpression(source)
        do {
            _ = try expression.evaluate(observations, at: 0)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func twoLeftSeriesMeetingOneRightSeriesIsAnError() throws {
        // Prometheus: "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)".
        let message = try evaluationError("disk_used_percent * on(path) sum by (path) (disk_used_percent)", disks)
        #expect(message?.hasPrefix("multiple matches for labels: many-to-one matching must be explicit "
            + "(group_left/group_right)") == true)
        #expect(message?.contains("{path=\"/b\"}") == true)
        // A filter that keeps both left-hand series is ambiguous too, with or without bool.
        #expect(try evaluationError("disk_used_percent > on(path) limit", disks) != nil)
        #expect(try evaluationError("disk_used_percent > bool on(path) limit", disks) != nil)
    }

    @Test func duplicateRightSeriesIsAnError() throws {
        // Prometheus: "found duplicate series for the match group {path="/b"} on the right hand-side ...".
        for source in ["sum by (path) (disk_used_percent) * on(path) disk_used_percent",
                       "limit + on(path) disk_used_percent", "lone * on(path) disk_used_percent"] {
            let message = try evaluationError(source, disks)
            #expect(message?.hasPrefix("found duplicate series for the match group {path=\"/b\"} on the right "
                + "hand-side of the operation") == true, "\(source)")
        }
    }

    @Test func matchesPrometheusWhereNoAmbiguityArises() throws {
        // A filter that drops all but one of the left-hand series of a group is not ambiguous: {} in Prometheus.
        #expect(try evalExpression("disk_used_percent == on(path) limit", disks).isEmpty)
        // An empty side matches nothing before duplicates are looked for.
        #expect(try evalExpression("missing * on(path) disk_used_percent", disks).isEmpty)
        #expect(try evalExpression("disk_used_percent * on(path) missing", disks).isEmpty)
        // Set operators are many-to-many.
        #expect(try evalExpression("disk_used_percent and on(path) disk_used_percent", disks).count == 3)
    }

    @Test func failingRuleIsReportedAndItsAlertsKeepTheirState() throws {
        let h = Harness(rules: [rule("DiskOverLimit", "disk_used_percent > on(path) limit", .critical)])
        let limit = Observation("limit", ["path": "/data"], 90)
        let fired = try h.eval("2026-11-24T02:45", [disk(95), limit])
        #expect(fired.alerts.map(\.state) == [.firing])
        let before = try StateStore(path: h.configuration.statePath, readOnly: true).alerts()

        let second = Observation("disk_used_percent", ["path": "/data", "device": "sdb"], 97)
        let failed = try h.eval("2026-11-24T02:50", [disk(95), second, limit])
        #expect(failed.ruleErrors.map(\.rule) == ["DiskOverLimit"])
        #expect(failed.ruleErrors.first?.message.hasPrefix("multiple matches for labels") == true)
        #expect(failed.exitCode == 1)
        #expect(failed.text().contains("rule DiskOverLimit failed, its alerts keep their state: multiple matches"))
        #expect(failed.json().contains("\"rule_errors\""))
        #expect(try StateStore(path: h.configuration.statePath, readOnly: true).alerts() == before)
        #expect(h.email.delivered.count == 1, "no resolve notice for an alert whose rule could not be evaluated")
    }

    @Test func absentTakesLabelsFromUnrepeatedEqualityMatchers() throws {
        // Prometheus (in an alerting rule): a label for each equality matcher, unless another equality matcher
        // or a =~ matcher names the same label; != and !~ matchers change nothing.
        #expect(try evalExpression("absent(nonexistent{job!=\"b\", job=\"a\"})", []) == ["job=\"a\"": 1])
        #expect(try evalExpression("absent(nonexistent{job=\"a\", job!=\"b\"})", []) == ["job=\"a\"": 1])
        #expect(try evalExpression("absent(nonexistent{job=~\"a\"})", []) == ["": 1])
        #expect(try evalExpression("absent(nonexistent{job=\"a\", job=\"b\", x=\"1\"})", []) == ["x=\"1\"": 1])
        #expect(try evalExpression("absent(nonexistent{job=\"a\", job=\"a\"})", []) == ["": 1])
        #expect(try evalExpression("absent(nonexistent{job=~\"a.*\", job=\"a\"})", []) == ["": 1])
        #expect(try evalExpression("absent(nonexistent{job!~\"b\", job=\"a\", x!=\"1\"})", []) == ["job=\"a\"": 1])
        #expect(try evalExpression("absent(nonexistent{job=\"a\", env=~\"p.*\", env=\"prod\"})", [])
            == ["job=\"a\"": 1])
    }

    @Test func anEmptyLabelValueIsNoLabel() throws {
        #expect(try evalExpression("absent(m{job=\"\"})", []) == ["": 1])
        #expect(try evalExpression("absent(m{job=\"\", job=\"a\"})", []) == ["": 1])
        let observations = [
            Observation("used", ["path": "/b", "device": ""], 9), Observation("size", ["path": "/b"], 3),
        ]
        #expect(try evalExpression("used * size", observations) == ["path=\"/b\"": 27])
        #expect(try evalExpression("used", observations) == ["path=\"/b\"": 9])
        #expect(try evalExpression("used{device=\"\"}", observations) == ["path=\"/b\"": 9])
    }

    @Test func clampWithNaNOrInfiniteBounds() throws {
        let observations = [Observation("m", [:], 5), Observation("n", [:], .nan)]
        #expect(try evalExpression("clamp_min(m, NaN)", observations)[""]?.isNaN == true)
        #expect(try evalExpression("clamp_max(m, NaN)", observations)[""]?.isNaN == true)
        #expect(try evalExpression("clamp(m, NaN, 1)", observations)[""]?.isNaN == true)
        #expect(try evalExpression("clamp(m, 1, NaN)", observations)[""]?.isNaN == true)
        #expect(try evalExpression("clamp_min(n, +Inf)", observations) == ["": .infinity])
        #expect(try evalExpression("clamp_max(n, -Inf)", observations) == ["": -.infinity])
        #expect(try evalExpression("clamp(m, 6, 2)", observations).isEmpty)
    }

    @Test func avgIsAnIncrementalMean() throws {
        let big = [Observation("big", ["i": "1"], 1e308), Observation("big", ["i": "2"], 1e308)]
        #expect(try evalExpression("avg(big)", big) == ["": 1e308])
        let tenths = [0.1, 0.2, 0.3].enumerated().map { Observation("t", ["i": "\($0.offset)"], $0.element) }
        #expect(try evalExpression("avg(t) == bool 0.2", tenths) == ["": 1])
        let infinite = [Observation("x", ["i": "1"], .infinity), Observation("x", ["i": "2"], 1)]
        #expect(try evalExpression("avg(x)", infinite) == ["": .infinity])
    }

    @Test func dispersionOfEqualValuesIsExactlyZero() throws {
        let equal = (1...3).map { Observation("e", ["i": "\($0)"], 0.1) }
        #expect(try evalExpression("stddev(e)", equal) == ["": 0])
        #expect(try evalExpression("stdvar(e)", equal) == ["": 0])
        #expect(try evalExpression("stddev(e) == bool 0", equal) == ["": 1])
    }

    @Test func stddevOfASingleNaNIsNaN() throws {
        // A documented difference: Prometheus answers 0 for one NaN or infinite sample; an unknown dispersion is
        // not a zero one. With more samples both answer NaN.
        #expect(try evalExpression("stddev(n)", [Observation("n", [:], .nan)])[""]?.isNaN == true)
        #expect(try evalExpression("stdvar(n)", [Observation("n", [:], .infinity)])[""]?.isNaN == true)
        let two = [Observation("n", ["i": "1"], .nan), Observation("n", ["i": "2"], 1)]
        #expect(try evalExpression("stddev(n)", two)[""]?.isNaN == true)
        #expect(try evalExpression("stddev(n)", [Observation("n", [:], 4)]) == ["": 0])
    }

    @Test func topkTruncatesItsParameterAndRefusesNaN() throws {
        #expect(try evalExpression("topk(1.9, disk_used_percent)", disks) == ["device=\"x\",path=\"/b\"": 9])
        // Prometheus: "Scalar value NaN overflows int64".
        #expect(try evaluationError("topk(NaN, disk_used_percent)", disks)?.contains("overflows int64") == true)
        #expect(try evaluationError("bottomk(+Inf, disk_used_percent)", disks)?.contains("overflows int64") == true)
        #expect(try evalExpression("topk(-1, disk_used_percent)", disks).isEmpty)
    }
}
