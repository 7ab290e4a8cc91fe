import Foundation
import Testing

/// The state database's harmless situations are named for what they are, never answered with advice that throws
/// the file away: another process's lock, a hot journal after a crash, a directory or a planted symbolic link;
/// first runs racing the schema lose nothing; what nobody reads any more is pruned.
@Suite struct ReliabilityStateTests {
    let now = "2026-11-24T02:45:00+08:00"

    static func sqlite(_ database: String, _ sql: String) throws -> String {
        let result = try runProgram(["sqlite3", database, sql])
        #expect(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func firstRunsRacingOnANewDatabaseLoseNothing() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 30s")
        for round in 0..<6 {
            let database = scratch.path + "/state/race-\(round).db"
            let text = try String(contentsOfFile: config, encoding: .utf8)
                .replacingOccurrences(of: "state: \(scratch.path)/state/fw.db", with: "state: \(database)")
                .replacingOccurrences(of: "state: \(scratch.path)/state/race-\(round - 1).db", with: "state: \(database)")
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            // Four job wrappers and an eval start together on a database that does not exist yet.
            var processes: [Process] = []
            for index in 0..<5 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binaryPath)
                process.arguments = index == 0 ? ["eval", "--config", config, "--now", now]
                    : ["run", "--config", config, "--job", "download", "--", "true"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                processes.append(process)
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            #expect(processes.dropFirst().allSatisfy { $0.terminationStatus == 0 })
            // A wrapper that waited past lock_timeout kept its run in the spool; the next eval records it.
            let spool = database + ".spool"
            _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
            #expect(try Self.sqlite(database, "SELECT count(*) FROM job_runs WHERE exit_code = 0") == "4",
                    "round \(round): every job run recorded")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).isEmpty)
            #expect(try Self.sqlite(database, "PRAGMA integrity_check") == "ok")
            #expect(try Self.sqlite(database, "SELECT count(*) FROM alerts") != "0", "round \(round): eval stored")
        }
    }

    @Test func readOnlyCommandsReadThroughAHotJournalAndLeaveTheFile() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let database = scratch.path + "/state/fw.db"
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        let firing = try Self.sqlite(database, "SELECT count(*) FROM alerts WHERE phase = 'firing'")
        // A writer killed mid-transaction: its changes spilled into the file, the journal to undo them remains.
        let crash = try runProgram(["python3", "-c", """
            import os, sqlite3
            con = sqlite3.connect("\(database)", isolation_level=None)
            con.execute("PRAGMA cache_size=1")
            con.execute("BEGIN")
            con.execute("DELETE FROM alerts")
            for i in range(3000): con.execute("INSERT INTO collector_memory VALUES ('x', ?, ?)", (str(i), "v" * 400))
            os.kill(os.getpid(), 9)
            """])
        #expect(crash.status != 0)
        #expect(FileManager.default.fileExists(atPath: database + "-journal"), "a hot journal was left")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let alerts = try factorwatch(["alerts", "--config", config, "--format", "json"])
        #expect(alerts.status == 0, "\(alerts.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(alerts.stdout.utf8)) as? [String: Any]
        #expect((object?["alerts"] as? [Any])?.count == Int(firing), "the last committed state: \(alerts.stdout)")
        let dry = try factorwatch(["eval", "--config", config, "--now", now, "--dry-run"])
        #expect(!dry.stderr.contains("cannot use"), "\(dry.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "read-only commands wrote nothing")
        // The next eval rolls the journal back for real.
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(try Self.sqlite(database, "PRAGMA integrity_check") == "ok")
        #expect(try Self.sqlite(database, "SELECT count(*) FROM collector_memory WHERE collector = 'x'") == "0")
    }

    @Test func anotherProcesssLockIsNamedAndWaitedForUpToLockTimeout() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 1s")
        let database = scratch.path + "/state/fw.db"
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, time
            con = sqlite3.connect("\(database)", isolation_level=None)
            con.execute("BEGIN EXCLUSIVE")
            open("\(scratch.path)/locked", "w").close()
            time.sleep(30)
            """]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        // Python may start slowly on a loaded machine: wait up to 30 s for the lock to be taken.
        try #require(waitForFile(scratch.path + "/locked"), "the lock holder never started")
        let started = Date()
        let alerts = try factorwatch(["alerts", "--config", config])
        let waited = Date().timeIntervalSince(started)
        #expect(alerts.status != 0)
        #expect(alerts.stderr.contains("another process holds a lock on it"), "\(alerts.stderr)")
        #expect(!alerts.stderr.contains("move it aside"), "\(alerts.stderr)")
        #expect(waited >= 0.9 && waited < 10, "waited \(waited) s for a 1 s lock_timeout")
    }

    @Test func aDirectoryOrASymbolicLinkIsNamedForWhatItIs() throws {
        let scratch = Scratch()
        let directory = scratch.path + "/statedir"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = scratch.demoConfiguration()
        let text = try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "state: \(scratch.path)/state/fw.db", with: "state: \(directory)")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let check = try factorwatch(["check", "--config", config])
        #expect(check.status == 2)
        #expect(check.stdout.contains("factorwatch.yaml:2:") && check.stdout.contains("is a directory"),
                "\(check.stdout)")

        let other = Scratch()
        let good = other.demoConfiguration()
        let victim = other.write("precious.txt", "keep me\n")
        try FileManager.default.createDirectory(atPath: other.path + "/state", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: other.path + "/state/fw.db.lock", withDestinationPath: victim)
        let eval = try factorwatch(["eval", "--config", good, "--now", now])
        #expect(eval.status != 0)
        #expect(eval.stderr.contains("symbolic link"), "\(eval.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
    }

    @Test func endedSilencesDeadNoticesAndOldJobRunsArePruned() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let database = scratch.path + "/state/fw.db"
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        let day = 86_400.0, at = 1_795_000_000.0  // 2026-11-18; the eval below is six days later
        var sql = "BEGIN;"
        sql += "INSERT INTO silences (rule, matchers_json, starts_at, ends_at, comment, created_by, created_at) VALUES "
            + "('A', '[]', \(at - 200 * day), \(at - 100 * day), 'old', 't', 0), ('B', '[]', 0, \(at + 9 * day), 'live', 't', 0);"
        sql += "INSERT INTO outbox (channel, digest_json, created_at, attempts, next_attempt_at, status) VALUES "
            + "('x', '{}', 0, 12, \(at - 100 * day), 'dead'), ('x', '{}', 0, 1, \(at - 100 * day), 'queued');"
        for index in 0..<150 {
            sql += "INSERT INTO job_runs (job, host, started_at, finished_at, exit_code) VALUES "
                + "('old', 'h', \(at - Double(300 - index) * day), \(at - Double(300 - index) * day + 60), 0);"
        }
        sql += "INSERT INTO job_runs (job, host, started_at) VALUES ('old', 'h', \(at - 400 * day));COMMIT;"
        _ = try Self.sqlite(database, sql)
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(try Self.sqlite(database, "SELECT group_concat(rule) FROM silences") == "B")
        #expect(try Self.sqlite(database, "SELECT group_concat(status) FROM outbox WHERE channel = 'x'") == "queued")
        #expect(try Self.sqlite(database, "SELECT count(*) FROM job_runs WHERE job = 'old' AND finished_at IS NOT NULL")
                == "100")
        #expect(try Self.sqlite(database, "SELECT count(*) FROM job_runs WHERE finished_at IS NULL") == "1")
    }
}
