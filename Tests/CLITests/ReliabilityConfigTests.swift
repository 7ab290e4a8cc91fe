import Foundation
import Testing

/// Malformed configuration, as in Prometheus' rulefmt tests: every `Fixtures/bad-config/*.bad.yaml` names on its
/// first line the exact `line:column: message` it must produce (`# want: …`, `{dir}` for the scratch directory),
/// and on its second, optionally, where it goes (`# as: rules/bad.yaml`; otherwise it is factorwatch.yaml).
/// `check` and `eval` of the real binary exit 2 with that error, and the state database stays byte-identical
/// (a broken channel file is the exception: `eval` runs without that channel and exits 1).
@Suite struct ReliabilityConfigTests {
    static let directory = repositoryRoot + "/Tests/CLITests/Fixtures/bad-config"
    static let fixtures = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".bad.yaml") }.sorted()
    static let baseConfiguration = """
        state: state/fw.db
        rules: [rules/*.yaml]
        collectors:
          disk: { paths: [.] }
        routes:
          critical: { channels: [log] }

        """

    @Test func theSetHasAtLeastEightyCases() {
        #expect(Self.fixtures.count >= 80)
    }

    /// The state directory's files and their bytes.
    static func snapshot(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
        }
        return files
    }

    @Test(arguments: fixtures)
    func eachBadFileIsExit2AtItsPosition(_ fixture: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/" + fixture))
        let header = String(decoding: bytes.prefix(4_096), as: UTF8.self).split(separator: "\n", maxSplits: 2)
            .map(String.init)
        let scratch = Scratch()
        let want = try #require(header.first?.hasPrefix("# want: ") == true ? header[0].dropFirst(8) : nil)
            .replacingOccurrences(of: "{dir}", with: scratch.path)
        let target = header.count > 1 && header[1].hasPrefix("# as: ") ? String(header[1].dropFirst(6))
            : "factorwatch.yaml"

        scratch.write("rules/ok.yaml", "rules:\n  - alert: A\n    expr: disk_used_percent > 90\n    severity: critical\n")
        scratch.write("channels/log.yaml", "type: log\npath: alerts.log\n")
        let config = scratch.write("factorwatch.yaml", Self.baseConfiguration)
        let good = try factorwatch(["eval", "--config", config])
        #expect(good.status == 0, "the base configuration works: \(good.stderr)")
        let state = try Self.snapshot(scratch.path + "/state")

        FileManager.default.createFile(atPath: scratch.path + "/" + target, contents: bytes)
        let expected = "\(scratch.path)/\(target):\(want)"
        // A broken channel file fails alone (ChannelBroken through the others): `eval` runs and exits 1.
        let channelOnly = target.hasPrefix("channels/")
        for command in channelOnly ? [["check", "--config", config]]
            : [["check", "--config", config], ["eval", "--config", config]] {
            let result = try factorwatch(command)
            #expect(result.status == 2, "\(command[0]) \(fixture): \(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).split(separator: "\n").contains { $0 == expected },
                    "\(command[0]) \(fixture): want \(expected)\ngot \(result.stdout)\(result.stderr)")
        }
        if channelOnly {
            #expect(try factorwatch(["eval", "--config", config]).status == 1, "\(fixture)")
        } else {
            #expect(try Self.snapshot(scratch.path + "/state") == state, "\(fixture) changed the state database")
        }
    }
}
