import Foundation
import Testing

/// A full state disk still delivers: the notices already queued and the disk alert itself. Each case runs in a
/// private mount namespace with a small tmpfs as the state directory, which vanishes with the namespace.
@Suite struct ReliabilityDiskFullTests {
    /// Runs `script` with `sh -e` in a new mount namespace (a user namespace too when not root).
    static func inMountNamespace(_ script: String) throws -> RunResult {
        try runProgram(["/usr/bin/unshare"] + (getuid() == 0 ? ["--mount"] : ["--user", "--map-root-user", "--mount"])
                       + ["sh", "-ec", script])
    }

    /// A configuration whose state lives in `state/` (the tmpfs), whose disk collector watches it, and whose log
    /// channel writes to `out/alerts.log` (missing at first, so the first run's notices stay queued).
    static func configuration(_ scratch: Scratch) throws -> String {
        let config = scratch.demoConfiguration(extra: "delivery: { backoff: 1m }")
        scratch.write("channels/alerts_log.yaml", "type: log\npath: \(scratch.path)/out/alerts.log\nformat: json\n")
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "disk: { paths: [\(repositoryRoot)/examples/demo/data] }",
                                  with: "disk: { paths: [\(scratch.path)/state] }")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        return config
    }

    /// The script: mount, first run (notices queued), fill the disk (after `beforeFill`), second run.
    static func script(_ scratch: Scratch, config: String, beforeFill: String) -> String {
        let fw = "'\(binaryPath)' eval --config '\(config)'"
        let s = scratch.path
        return """
            mount -t tmpfs -o size=8m tmpfs '\(s)/state'
            \(fw) --now 2026-11-24T02:45:00+08:00 > '\(s)/eval1.out' 2>&1 || true
            mkdir '\(s)/out'
            \(beforeFill)
            dd if=/dev/zero of='\(s)/state/fill' bs=64k 2>/dev/null || true
            rc=0; \(fw) --now 2026-11-24T02:55:00+08:00 > '\(s)/eval2.out' 2>&1 || rc=$?; echo $rc > '\(s)/eval2.rc'
            cp '\(s)/out/alerts.log' '\(s)/full.log' 2>/dev/null || true
            if [ -e '\(s)/state/fw.db.reserve' ]; then echo kept; else echo used; fi > '\(s)/reserve.out'
            rm '\(s)/state/fill'
            rc=0; \(fw) --now 2026-11-24T03:00:00+08:00 > '\(s)/eval3.out' 2>&1 || rc=$?; echo $rc > '\(s)/eval3.rc'
            sqlite3 '\(s)/state/fw.db' 'PRAGMA integrity_check' > '\(s)/integrity.out' 2>&1 || true
            """
    }

    static func read(_ scratch: Scratch, _ name: String) -> String {
        (try? String(contentsOfFile: scratch.path + "/" + name, encoding: .utf8)) ?? ""
    }

    /// The firing notices of a JSON log, by rule.
    static func rules(in log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["status"] as? String == "firing" ? object?["rule"] as? String : nil
        }
    }

    @Test func theReserveLetsAFullDiskRecordAndDeliverOnce() throws {
        let scratch = Scratch()
        let config = try Self.configuration(scratch)
        let run = try Self.inMountNamespace(Self.script(scratch, config: config, beforeFill: ""))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.read(scratch, "eval1.out").contains("QUEUED for retry"), "\(Self.read(scratch, "eval1.out"))")
        #expect(Self.read(scratch, "reserve.out") == "used\n", "the disk really was full")
        #expect(!Self.read(scratch, "eval2.out").contains("not recorded"))
        let full = Self.rules(in: Self.read(scratch, "full.log"))
        #expect(full.contains("FactorDataStale"), "the queued notice went out: \(Self.read(scratch, "eval2.out"))")
        #expect(full.contains("DiskAlmostFull"), "the disk alert went out: \(Self.read(scratch, "eval2.out"))")
        let after = Self.rules(in: Self.read(scratch, "out/alerts.log"))
        #expect(after.filter { $0 == "FactorDataStale" }.count == 1, "recorded, so not sent twice: \(after)")
        #expect(after.filter { $0 == "DiskAlmostFull" }.count == 1, "\(after)")
        #expect(Self.read(scratch, "integrity.out") == "ok\n")
    }

    @Test func withoutTheReserveAFullDiskStillDelivers() throws {
        let scratch = Scratch()
        let config = try Self.configuration(scratch)
        let run = try Self.inMountNamespace(Self.script(scratch, config: config,
                                                        beforeFill: "rm -f '\(scratch.path)/state/fw.db.reserve'"))
        #expect(run.status == 0, "\(run.stderr)")
        let second = Self.read(scratch, "eval2.out")
        #expect(Self.read(scratch, "eval2.rc") == "1\n", "\(second)")
        #expect(second.contains("the disk is full, so this evaluation was not recorded"), "\(second)")
        let full = Self.rules(in: Self.read(scratch, "full.log"))
        #expect(full.contains("FactorDataStale"), "the queued notice went out: \(second)")
        #expect(full.contains("DiskAlmostFull"), "the disk alert went out: \(second)")
        #expect(Self.read(scratch, "eval3.rc") == "0\n", "\(Self.read(scratch, "eval3.out"))")
        #expect(Self.read(scratch, "integrity.out") == "ok\n")
    }
}
