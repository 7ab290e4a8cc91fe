import Foundation
import Testing

/// Rules never vanish silently: no rule file, a broken one, or one fewer than the last run is an error or a
/// loud routed alert, and alerts are not dropped without their notice.
@Suite struct ReliabilityRuleFilesTests {
    static let now = "2026-11-24T02:45:00+08:00"

    /// The demo configuration reading its rules from a scratch `rules/` holding copies of the shipped files.
    static func setUp(_ scratch: Scratch) throws -> String {
        let rules = scratch.path + "/rules"
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/rules")
        where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/rules/" + name, toPath: rules + "/" + name)
        }
        let config = scratch.demoConfiguration()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "rules: [\(repositoryRoot)/rules/*.yaml]", with: "rules: [\(rules)/*.yaml]")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    static func expectRefused(_ config: String, naming needle: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws {
        for command in [["check", "--config", config], ["eval", "--config", config, "--now", now]] {
            let result = try factorwatch(command)
            #expect(result.status == 2, "\(command[0]): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(needle) || result.stdout.contains(needle),
                    "\(command[0]) should name \(needle): \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func aRulesGlobMatchingNothingIsExit2() throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        try FileManager.default.removeItem(atPath: scratch.path + "/rules")
        try Self.expectRefused(config, naming: "no rule file matches \(scratch.path)/rules/*.yaml")
    }

    @Test(arguments: [("nowhere.yaml", "is a dangling symbolic link"), ("rules/link.yaml", "is a symbolic link loop")])
    func aBrokenLinkIsExit2NamingTheFile(target: String, problem: String) throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/rules/link.yaml",
                                                   withDestinationPath: scratch.path + "/" + target)
        try Self.expectRefused(config, naming: "\(scratch.path)/rules/link.yaml:1:1: rule file \(problem)")
    }

    @Test func aDirectoryWhereARuleFileWasIsExit2() throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        try FileManager.default.removeItem(atPath: scratch.path + "/rules/system.yaml")
        try FileManager.default.createDirectory(atPath: scratch.path + "/rules/system.yaml",
                                                withIntermediateDirectories: false)
        try Self.expectRefused(config, naming: "\(scratch.path)/rules/system.yaml:1:1: rule file is a directory")
    }

    @Test func zeroRulesLoadedIsExit2() throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        try FileManager.default.removeItem(atPath: scratch.path + "/rules")
        scratch.write("rules/empty.yaml", "rules: []\n")
        try Self.expectRefused(config, naming: "no rules loaded from \(scratch.path)/rules/empty.yaml")
    }

    @Test func anEmptyConfigurationIsExit2() throws {
        let scratch = Scratch()
        let config = scratch.write("factorwatch.yaml", "")
        try Self.expectRefused(config, naming: "\(config):1:1: the configuration is empty: it monitors nothing")
    }

    @Test func aVanishedRuleFileKeepsItsAlertsAndPagesUntilAccepted() throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        let first = try factorwatch(["eval", "--config", config, "--now", Self.now])
        #expect(first.stdout.contains("FIRING critical FactorDataStale"), "\(first.stderr)")

        try FileManager.default.removeItem(atPath: scratch.path + "/rules/factor_files.yaml")
        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(!second.stdout.contains("RESOLVED"), "\(second.stdout)")
        #expect(second.stdout.contains("FIRING critical RuleFileMissing"), "\(second.stdout)")
        #expect(second.stdout.contains("FIRING critical FactorDataStale"), "kept: \(second.stdout)")
        #expect(second.stdout.contains("its rule file \(scratch.path)/rules/factor_files.yaml is gone"))
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(log.contains("\"rule\":\"RuleFileMissing\""))
        #expect(!log.contains("\"status\":\"resolved\""))

        // Removed on purpose: the kept alert resolves with its notice, and the rule-file alert with it.
        let third = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:55:00+08:00",
                                     "--accept-rule-changes"])
        #expect(third.stdout.contains("RESOLVED critical FactorDataStale"), "\(third.stdout)")
        #expect(third.stdout.contains("RESOLVED critical RuleFileMissing"), "\(third.stdout)")
        let after = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(after.contains("\"reason\":\"resolved\",\"rule\":\"FactorDataStale\""))
        let fourth = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T03:00:00+08:00"])
        #expect(!fourth.stdout.contains("RuleFileMissing"), "\(fourth.stdout)")
    }

    @Test func aRuleDeletedFromItsFileResolvesWithANotice() throws {
        let scratch = Scratch()
        let config = try Self.setUp(scratch)
        try factorwatch(["eval", "--config", config, "--now", Self.now])
        let path = scratch.path + "/rules/factor_files.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let kept = text.components(separatedBy: "  - alert: FactorDataLate")[1]
        try ("rules:\n  - alert: FactorDataLate" + kept).write(toFile: path, atomically: true, encoding: .utf8)
        let second = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(second.stdout.contains("RESOLVED critical FactorDataStale"), "\(second.stdout)\(second.stderr)")
        #expect(!second.stdout.contains("RuleFileMissing"))
        let log = try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)
        #expect(log.contains("\"reason\":\"resolved\",\"rule\":\"FactorDataStale\""))
    }
}
