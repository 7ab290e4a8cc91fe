import Foundation
import FactorWatch
import Testing

/// factorwatch against Prometheus' own evaluator: a few hundred generated expressions over generated series,
/// checked in one `promtool test rules` run whose expected alerts are factorwatch's answers, so that promtool
/// passing means the two agree on every label and every value.
@Suite struct PromtoolDifferentialTests {
    private static let caseCount = 400

    private struct Answer {
        var samples: [Sample] = []
        var error: String?

        func same(as other: Answer) -> Bool {
            if let error { return other.error.map { PromtoolFiles.errorClass($0) == PromtoolFiles.errorClass(error) } ?? false }
            return other.error == nil && samples.count == other.samples.count
                && zip(samples, other.samples).allSatisfy { a, b in
                    a.labels == b.labels && (a.value.bitPattern == b.value.bitPattern || (a.value.isNaN && b.value.isNaN))
                }
        }
    }

    private func answer(_ expression: RuleExpression, _ index: ObservationIndex) -> Answer {
        do {
            return Answer(samples: try expression.evaluate(index, at: 0))
        } catch {
            return Answer(error: error.message)
        }
    }

    /// The series in several orders: an answer must not depend on it, since promtool's storage order is random.
    private func orderings(_ observations: [Observation]) -> [ObservationIndex] {
        let rotated = Array(observations[3...] + observations[..<3])
        let strided = (0..<7).flatMap { start in stride(from: start, to: observations.count, by: 7).map { observations[$0] } }
        let all: [[Observation]] = [observations, observations.reversed(), rotated, strided]
        return all.map { ObservationIndex($0) }
    }

    private func generateCases(_ generator: inout DifferentialGenerator) throws -> (cases: [DifferentialCase], orderDependent: Int) {
        let observations = generator.series.map { series in
            Observation(series.metric, Labels(Dictionary(uniqueKeysWithValues: series.labels)), series.value)
        }
        let indexes = orderings(observations)
        var cases: [DifferentialCase] = []
        var seen: Set<String> = []
        var orderDependent = 0
        for _ in 0..<(Self.caseCount * 10) where cases.count < Self.caseCount {
            let text = generator.expression().text
            guard seen.insert(text).inserted else { continue }
            let expression = try RuleExpression(text)
            let answers = indexes.map { answer(expression, $0) }
            guard answers.allSatisfy({ $0.same(as: answers[0]) }) else {
                orderDependent += 1
                continue
            }
            cases.append(DifferentialCase(name: "E\(cases.count)", expression: text, samples: answers[0].samples,
                                          error: answers[0].error))
        }
        return (cases, orderDependent)
    }

    @Test(.enabled(if: PromtoolFiles.executable != nil || runningInCI,
                   "promtool is not installed (Debian package prometheus): differential test skipped"),
          .timeLimit(.minutes(1)))
    func generatedExpressionsAgreeWithPromtool() throws {
        try #require(PromtoolFiles.executable != nil, "promtool is missing: scripts/install-deps.sh installs it")
        let seed = ProcessInfo.processInfo.environment["FACTORWATCH_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 18
        var generator = DifferentialGenerator(seed: seed)
        let (cases, orderDependent) = try generateCases(&generator)
        let failing = cases.filter { $0.error != nil }
        #expect(cases.count == Self.caseCount)
        #expect(orderDependent * 20 < cases.count, "\(orderDependent) order-dependent expressions were generated")
        #expect(failing.count >= 10 && failing.count * 3 < cases.count, "\(failing.count) evaluation errors")
        #expect(cases.filter { !$0.samples.isEmpty }.count * 5 > cases.count * 2, "too many empty answers")

        // FACTORWATCH_DIFFERENTIAL_DIR keeps the files (rules.yaml, test.yaml) for a look or a rerun by hand.
        let directory = TemporaryDirectory("differential")
        let kept = ProcessInfo.processInfo.environment["FACTORWATCH_DIFFERENTIAL_DIR"] ?? directory.path
        let (status, output) = try PromtoolFiles.run(try PromtoolFiles.write(cases, series: generator.series,
                                                                             to: kept))
        var disagreements: [String] = []
        var blocks = PromtoolFiles.failures(in: output)
        for item in failing {
            let prefix = PromtoolFiles.errorLinePrefix(item.expression)
            guard let position = blocks.firstIndex(where: { $0[0].hasPrefix(prefix) }) else {
                disagreements.append("\(item.name): \(item.expression)\n  factorwatch: \(item.error!)\n"
                    + "  promtool: evaluates it")
                continue
            }
            let theirs = String(blocks.remove(at: position)[0].dropFirst(prefix.count))
            if PromtoolFiles.errorClass(theirs) != PromtoolFiles.errorClass(item.error!) {
                disagreements.append("\(item.name): \(item.expression)\n  factorwatch: \(item.error!)\n"
                    + "  promtool: \(theirs)")
            }
        }
        for block in blocks {
            let name = block[0].split(separator: " ").dropFirst().first.map { String($0.dropLast()) } ?? ""
            let item = cases.first { $0.name == name }
            disagreements.append("\(name): \(item?.expression ?? "?")\n  factorwatch: "
                + "\(item.map { $0.error ?? $0.samples.description } ?? "?")\n  promtool: "
                + block.joined(separator: " "))
        }
        #expect(output.contains("Unit Testing"), "\(output.prefix(2_000))")
        #expect(status == (failing.isEmpty ? 0 : 1), "promtool exited \(status): \(output.prefix(4_000))")
        if !disagreements.isEmpty {
            Issue.record("""
                \(disagreements.count) of \(cases.count) expressions disagree with promtool (seed \(seed)):
                \(disagreements.prefix(25).joined(separator: "\n"))
                """)
        }
    }

    @Test func valuesAreFormattedAsGoPrintsThem() {
        // As promtool renders {{ $value }} (seen in its own reports).
        let expected: [(Double, String)] = [
            (1e6, "1e+06"), (123_456_789, "1.23456789e+08"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1e21, "1e+21"),
            (-0.0, "-0"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (100_000, "100000"),
            (-840, "-840"), (0.30000000000000004, "0.30000000000000004"), (1e308, "1e+308"), (2.5, "2.5"),
            (123_456.5, "123456.5"), (5e-324, "5e-324"),
        ]
        for (value, text) in expected { #expect(PromtoolFiles.goFormat(value) == text, "\(value)") }
    }
}
