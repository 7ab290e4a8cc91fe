import Foundation
import Testing

/// Two healthy nights of a real pipeline's layouts (scripts/leana_fixtures.py), watched through the binary with
/// the shipped rules and defaults: only the true standing problems, each once, none critical, and the second
/// night repeats them rather than raising new ones.
@Suite struct LeanaPipelineTests {
    /// The generated files, the configuration, and pandas' account of the last file's problems.
    struct Pipeline {
        let scratch = Scratch()
        let problems: [String: Any]

        init(layout: String) throws {
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            generator.arguments = ["python3", repositoryRoot + "/scripts/leana_fixtures.py", scratch.path,
                                   "--layout", layout]
            let out = Pipe()
            generator.standardOutput = out
            try generator.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            generator.waitUntilExit()
            #expect(generator.terminationStatus == 0, "pandas and pyarrow are needed: bash scripts/install-deps.sh")
            problems = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            scratch.write("channels/log.yaml", "type: log\npath: \(scratch.path)/alerts.log\nformat: json\n")
            scratch.write("factorwatch.yaml", """
                timezone: Asia/Shanghai
                state: state/fw.db
                calendar: trade_cal.csv
                rules: [\(repositoryRoot)/rules/*.yaml]
                collectors:
                  factor_files: { dir: by_date }
                routes:
                  critical: { channels: [log], repeat: 2h }
                  high:     { channels: [log], repeat: 12h }
                  medium:   { channels: [log], repeat: 24h }
                  low:      { channels: [log], repeat: 24h }
                """)
        }

        /// Runs `eval` at 02:45 with only the files up to the day before.
        func night(_ day: String, holdBack later: [String]) throws -> [[String: Any]] {
            let dir = scratch.path + "/by_date/", held = scratch.path + "/held/"
            try FileManager.default.createDirectory(atPath: held, withIntermediateDirectories: true)
            for name in later { try FileManager.default.moveItem(atPath: dir + name, toPath: held + name) }
            defer { for name in later { try? FileManager.default.moveItem(atPath: held + name, toPath: dir + name) } }
            let before = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
            let result = try factorwatch(["eval", "--config", scratch.path, "--now", day + "T02:45:00+08:00"])
            #expect(result.status != 2, "\(result.stderr)")
            let after = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
            return after.dropFirst(before.count).split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
    }

    static func identity(_ line: [String: Any]) -> String {
        let labels = (line["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
        return "\(line["rule"] as? String ?? "?")\(labels.map { "\($0.key)=\($0.value)" })"
    }

    func expectStandingProblemsOnly(layout: String, extra: [String]) throws {
        let pipeline = try Pipeline(layout: layout)
        let problems = pipeline.problems
        let constant = try #require(problems["constant"] as? [String])
        let empty = try #require(problems["empty_industries"] as? [String])
        let vif = try #require(problems["vif"] as? [String: Double])
        #expect(constant == ["growth", "leverage"] && empty.count == 26)

        let first = try pipeline.night("2025-11-26", holdBack: ["20251126.parquet"])
        var expected = Set(constant.map { "FactorZeroVariance[\"factor=\($0)\"]" })
        expected.insert("IndustryEmpty[]")
        expected.insert("FactorSizeCollinear[]")
        for (name, value) in vif where value > 10 { expected.insert("FactorVIFHigh[\"factor=\(name)\"]") }
        expected.formUnion(extra)
        let firstIDs = first.map(Self.identity)
        #expect(Set(firstIDs) == expected)
        #expect(firstIDs.count == Set(firstIDs).count, "each problem once")
        #expect(first.allSatisfy { $0["severity"] as? String != "critical" && $0["reason"] as? String == "firing" })
        let industries = try #require(first.first { $0["rule"] as? String == "IndustryEmpty" })
        #expect(industries["value"] as? Int == empty.count)
        #expect(empty.allSatisfy { (industries["summary"] as? String)?.contains($0) == true })
        // The next night: a newer file, the same alerts, repeated by their routes; nothing resolves or is new.
        let second = try pipeline.night("2025-11-27", holdBack: [])
        for line in second where line["rule"] as? String == "FactorVIFHigh" {
            let name = (line["labels"] as? [String: String])?["factor"] ?? "?"
            let value = try #require((line["value"] as? NSNumber)?.doubleValue)
            #expect(abs(value - vif[name]!) / vif[name]! < 1e-6, "\(name): \(value) vs pandas \(vif[name]!)")
        }
        #expect(Set(second.map(Self.identity)) == expected)
        #expect(second.allSatisfy { $0["reason"] as? String == "repeat" }, "\(second.map { $0["reason"] ?? "" })")
        #expect(second.allSatisfy { $0["starts_at"] as? String == "2025-11-26T02:45:00+08:00" })
        #expect(second.allSatisfy { ($0["summary"] as? String)?.contains("20251126") == true })
    }

    @Test func theTransposedFilesWithCodesRaiseOnlyTheStandingProblems() throws {
        try expectStandingProblemsOnly(layout: "step2", extra: [])
    }

    @Test func theNightlyFilesWithoutCodesAddOneNoteAboutWhatCannotRun() throws {
        try expectStandingProblemsOnly(
            layout: "step6", extra: ["FactorCodeColumnMissing[\"column=ts_code\", \"problem=missing\"]"])
    }

    @Test func aTruncatedLatestFileIsCriticalResolvesNothingAndTheNextGoodFileIsCheckedNormally() throws {
        let pipeline = try Pipeline(layout: "step2")
        let first = try pipeline.night("2025-11-25", holdBack: ["20251125.parquet", "20251126.parquet"])
        let standing = Set(first.map(Self.identity))
        #expect(standing.count == 6)
        let bad = pipeline.scratch.path + "/by_date/20251125.parquet"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bad))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: bad))

        let second = try pipeline.night("2025-11-26", holdBack: ["20251126.parquet"])
        let unusable = try #require(second.first { $0["rule"] as? String == "FactorFileUnusable" })
        #expect(unusable["severity"] as? String == "critical" && unusable["status"] as? String == "firing")
        #expect((unusable["summary"] as? String)?.contains("20251125.parquet (20251125) cannot be used: ") == true)
        #expect(second.allSatisfy { $0["status"] as? String != "resolved" }, "\(second.map(Self.identity))")

        // The rewritten pipeline's next file is good; the truncated one is still there as the previous file.
        let third = try pipeline.night("2025-11-27", holdBack: [])
        let resolved = Set(third.filter { $0["status"] as? String == "resolved" }.compactMap { $0["rule"] as? String })
        #expect(resolved.isSubset(of: ["FactorFileUnusable", "CollectorFailed"]) && resolved.contains("FactorFileUnusable"))
        let again = third.filter { standing.contains(Self.identity($0)) }
        #expect(Set(again.map(Self.identity)) == standing)
        #expect(again.allSatisfy { $0["reason"] as? String == "repeat" && ($0["summary"] as? String)?.contains("20251126") == true })
        let previous = try #require(third.first { $0["rule"] as? String == "FactorPreviousUnreadable" })
        #expect(previous["severity"] as? String == "medium")
    }
}
