import Foundation
import Testing

/// `eval` keeps the parsed rule files beside the state database (`STATE.rules-cache`) and reuses a file's parse
/// only while the file is the one it read: every change to a rule file, the glob or the cache itself is seen.
@Suite struct RuleFileCacheTests {
    static let now = "2026-11-24T02:45:00+08:00"

    /// A file written less than a second before a run is parsed, never kept: waiting makes the next run keep it.
    static func settle() { Thread.sleep(forTimeInterval: 1.2) }

    static func cachePath(_ scratch: Scratch) -> String { scratch.path + "/state/fw.db.rules-cache" }

    /// The identity of a file as `ls -i` and `stat` see it (inode, size, modification time).
    static func identity(_ path: String) -> [String]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return ["\(attributes[.systemFileNumber] ?? "")", "\(attributes[.size] ?? "")",
                "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"]
    }

    static func modificationTime(_ path: String) -> timespec {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mtim
    }

    /// Sets the modification (and access) time to the nanosecond, as `touch -r` does.
    static func setModificationTime(_ path: String, _ time: timespec) {
        var times = [time, time]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    /// A configuration over the demo data whose rules are one scratch file with two rules.
    static func probeConfiguration(_ scratch: Scratch) -> String {
        scratch.write("rules/probe.yaml", probeRules("ProbeAlpha", summary: "first"))
        let config = scratch.demoConfiguration()
        let text = try! String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "rules: [\(repositoryRoot)/rules/*.yaml]", with: "rules: [\(scratch.path)/rules/*.yaml]")
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        makeStateDirectory(scratch)
        return config
    }

    /// The cache goes into an existing state directory (the first run, which makes it, writes none).
    static func makeStateDirectory(_ scratch: Scratch) {
        try! FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
    }

    static func probeRules(_ name: String, summary: String) -> String {
        """
        rules:
          - alert: \(name)
            expr: vector(1)
            severity: low
            summary: "\(summary)"
          - alert: ProbeSteady
            expr: vector(2)
            severity: low
            summary: "steady"

        """
    }

    static func eval(_ config: String, at minute: Int) throws -> RunResult {
        let result = try factorwatch(["eval", "--config", config, "--now",
                                      String(format: "2026-11-24T02:%02d:00+08:00", minute)])
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    @Test func everyChangeToARuleFileIsSeen() throws {
        let scratch = Scratch()
        let config = Self.probeConfiguration(scratch)
        let rules = scratch.path + "/rules/probe.yaml"
        Self.settle()
        #expect(try Self.eval(config, at: 45).stdout.contains("ProbeAlpha"))
        let cache = Self.cachePath(scratch)
        #expect(FileManager.default.fileExists(atPath: cache), "a settled rule file is kept")
        let kept = Self.identity(cache)
        #expect(try Self.eval(config, at: 46).stdout.contains("ProbeAlpha"))
        #expect(Self.identity(cache) == kept, "an unchanged run reads the cache and does not rewrite it")

        // Rewritten in place, same size, its modification time put back: only the change time tells.
        let modified = Self.modificationTime(rules)
        try Self.probeRules("ProbeBravo", summary: "first").write(toFile: rules, atomically: false, encoding: .utf8)
        Self.setModificationTime(rules, modified)
        #expect(Self.modificationTime(rules).tv_nsec == modified.tv_nsec)
        Self.settle()
        var out = try Self.eval(config, at: 47).stdout
        #expect(out.contains("FIRING low ProbeBravo") && !out.contains("FIRING low ProbeAlpha"), "\(out)")

        // Replaced by a rename: same size and modification time, another inode.
        let other = scratch.write("incoming.yaml", Self.probeRules("ProbeCharl", summary: "first"))
        Self.setModificationTime(other, Self.modificationTime(rules))
        #expect(rename(other, rules) == 0)
        Self.settle()
        out = try Self.eval(config, at: 48).stdout
        #expect(out.contains("FIRING low ProbeCharl") && !out.contains("FIRING low ProbeBravo"), "\(out)")

        // Edited to another size, right before the run (too recent to keep, parsed anyway).
        try Self.probeRules("ProbeDelta", summary: "second, longer").write(toFile: rules, atomically: false,
                                                                            encoding: .utf8)
        out = try Self.eval(config, at: 49).stdout
        #expect(out.contains("FIRING low ProbeDelta = 1 — second, longer"), "\(out)")

        // Touched only: parsed again, the same rules.
        Self.settle()
        _ = try Self.eval(config, at: 50)
        let settled = Self.identity(cache)
        #expect(utimes(rules, nil) == 0)
        Self.settle()
        out = try Self.eval(config, at: 51).stdout
        #expect(out.contains("FIRING low ProbeDelta = 1 — second, longer"), "\(out)")
        #expect(Self.identity(cache) != settled, "a touched file is read again and kept again")
    }

    @Test func aFileAddedToOrRemovedFromTheGlobIsSeen() throws {
        let scratch = Scratch()
        let config = Self.probeConfiguration(scratch)
        Self.settle()
        #expect(!(try Self.eval(config, at: 45).stdout.contains("ProbeExtra")))
        scratch.write("rules/extra.yaml", "rules:\n  - alert: ProbeExtra\n    expr: vector(3)\n    severity: low\n")
        Self.settle()
        #expect(try Self.eval(config, at: 46).stdout.contains("ProbeExtra"))
        try FileManager.default.removeItem(atPath: scratch.path + "/rules/extra.yaml")
        let accepted = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:48:00+08:00",
                                        "--accept-rule-changes"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(!accepted.stdout.contains("FIRING low ProbeExtra"), "\(accepted.stdout)")
        #expect(accepted.stdout.contains("ProbeAlpha"), "\(accepted.stdout)")
    }

    @Test func aBrokenRuleFileIsReportedAtItsPlaceAsWithoutACache() throws {
        let scratch = Scratch()
        let config = Self.probeConfiguration(scratch)
        let rules = scratch.path + "/rules/probe.yaml"
        Self.settle()
        _ = try Self.eval(config, at: 45)
        try "rules:\n  - alert: ProbeAlpha\n    expr: vector(1) +\n    severity: low\n"
            .write(toFile: rules, atomically: true, encoding: .utf8)
        Self.settle()
        let broken = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:46:00+08:00"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(rules):3:"), "\(broken.stderr)")
        try? FileManager.default.removeItem(atPath: Self.cachePath(scratch))
        let uncached = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:46:00+08:00"])
        #expect((uncached.status, uncached.stdout, uncached.stderr) == (broken.status, broken.stdout, broken.stderr))
    }

    /// Cached and uncached runs of the demo over the repository's rules print, exit and notify alike.
    @Test func cachedRunsEqualUncachedRuns() throws {
        let cached = Scratch(), fresh = Scratch()
        let cachedConfig = steadyDemoConfiguration(cached), freshConfig = steadyDemoConfiguration(fresh)
        Self.makeStateDirectory(cached)
        Self.makeStateDirectory(fresh)
        for minute in [45, 50, 55] {
            try? FileManager.default.removeItem(atPath: Self.cachePath(fresh))
            let a = try Self.eval(cachedConfig, at: minute), b = try Self.eval(freshConfig, at: minute)
            #expect(FileManager.default.fileExists(atPath: Self.cachePath(cached)))
            let normalize = { (text: String, scratch: Scratch) in text.replacingOccurrences(of: scratch.path, with: "S") }
            #expect(normalize(a.stdout, cached) == normalize(b.stdout, fresh))
            #expect(normalize(a.stderr, cached) == normalize(b.stderr, fresh))
            let logs = [cached, fresh].map { scratch in
                (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)).map { normalize($0, scratch) }
            }
            #expect(logs[0] == logs[1])
        }
        let check = try factorwatch(["check", "--config", cachedConfig])
        let uncachedCheck = try factorwatch(["check", "--config", freshConfig])
        #expect(check.status == uncachedCheck.status)
        #expect(check.stdout.replacingOccurrences(of: cached.path, with: "S")
                == uncachedCheck.stdout.replacingOccurrences(of: fresh.path, with: "S"))
    }

    /// A cache that is garbage, cut short, damaged in one byte or empty is not trusted: the rules are parsed
    /// and the cache is written again.
    @Test(arguments: ["garbage", "truncated", "flipped", "empty"])
    func aDamagedCacheIsIgnoredAndRebuilt(damage: String) throws {
        let scratch = Scratch()
        let config = Self.probeConfiguration(scratch)
        Self.settle()
        _ = try Self.eval(config, at: 45)
        let cache = Self.cachePath(scratch)
        let good = try Data(contentsOf: URL(fileURLWithPath: cache))
        #expect(good.count > 100)
        var bad: Data
        switch damage {
        case "garbage": bad = Data("FWRC not a cache at all".utf8)
        case "truncated": bad = good.prefix(good.count / 2)
        case "flipped":
            bad = good
            bad[bad.count - 10] ^= 0x20
        default: bad = Data()
        }
        try bad.write(to: URL(fileURLWithPath: cache))
        let again = try Self.eval(config, at: 45)
        #expect(again.stdout.replacingOccurrences(of: "already notified", with: "")
                    .contains("ProbeAlpha"), "\(again.stdout)")
        #expect(again.stderr == "")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache)) == good, "rebuilt whole")
    }

    /// A state directory that cannot be written gets no cache and no complaint; a dry run writes none.
    @Test func noCacheWhereNothingMayBeWritten() throws {
        let scratch = Scratch()
        let config = Self.probeConfiguration(scratch)
        Self.settle()
        let dry = try factorwatch(["eval", "--config", config, "--now", Self.now, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.cachePath(scratch)))
        _ = try Self.eval(config, at: 45)
        try FileManager.default.removeItem(atPath: Self.cachePath(scratch))
        // A cache directory that is a directory where the file should be: unusable, ignored.
        try FileManager.default.createDirectory(atPath: Self.cachePath(scratch), withIntermediateDirectories: false)
        let blocked = try Self.eval(config, at: 46)
        #expect(blocked.stderr == "")
        #expect(blocked.stdout.contains("ProbeAlpha"))
    }
}
