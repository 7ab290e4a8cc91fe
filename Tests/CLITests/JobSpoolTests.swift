import Foundation
import Testing

/// A job run that finds the state database locked past `lock_timeout` is not lost: the wrapper keeps it in
/// `STATE.spool/` and the next evaluation (or wrapper) records it, once.
@Suite struct JobSpoolTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// Starts a Python process holding an exclusive lock on `database` for `seconds`, once `signal` exists
    /// (immediately when nil); returns it when the lock is taken.
    static func lockHolder(_ database: String, scratch: Scratch, seconds: Double, after signal: String? = nil)
        throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import os, sqlite3, time
            signal = \(signal.map { "\"\($0)\"" } ?? "None")
            while signal and not os.path.exists(signal): time.sleep(0.02)
            con = sqlite3.connect("\(database)", isolation_level=None, timeout=30)
            con.execute("BEGIN EXCLUSIVE")
            open("\(scratch.path)/locked", "w").close()
            time.sleep(\(seconds))
            """]
        try holder.run()
        return holder
    }

    static func spooled(_ scratch: Scratch) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path + "/state/fw.db.spool")) ?? [])
            .filter { $0.hasSuffix(".json") }
    }

    @Test func aRunFacingALockedDatabaseIsRecordedByTheNextEval() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 1s")
        let database = scratch.path + "/state/fw.db"
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        let holder = try Self.lockHolder(database, scratch: scratch, seconds: 60)
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        try #require(waitForFile(scratch.path + "/locked"), "the lock holder never started")

        let run = try factorwatch(["run", "--config", config, "--job", "download", "--",
                                   "sh", "-c", "echo fetched 5123 rows; exit 3"])
        #expect(run.status == 3, "the job's own status: \(run.stderr)")
        #expect(run.stdout == "fetched 5123 rows\n")
        #expect(run.stderr.contains("is kept in \(database).spool/"), "\(run.stderr)")
        #expect(Self.spooled(scratch).count == 1)

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let eval = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        #expect(eval.status == 0 || eval.status == 1, "\(eval.stderr)")
        let rows = try ReliabilityStateTests.sqlite(database,
            "SELECT job, exit_code, finished_at >= started_at, output_tail FROM job_runs")
        #expect(rows == "download|3|1|fetched 5123 rows", "the spooled run as sqlite3 reads it")
        #expect(Self.spooled(scratch).isEmpty, "the spool is emptied once recorded")
    }

    @Test func aRunWhoseEndFindsTheLockIsFinishedOnceAndNeverTwice() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 1s")
        let database = scratch.path + "/state/fw.db"
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        // The lock is taken while the job runs, after its start was recorded.
        let go = scratch.path + "/go"
        let holder = try Self.lockHolder(database, scratch: scratch, seconds: 60, after: go)
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        let run = try factorwatch(["run", "--config", config, "--job", "download", "--", "sh", "-c",
                                   "touch \(go); while [ ! -e \(scratch.path)/locked ]; do sleep 0.05; done; exit 0"])
        #expect(run.status == 0, "\(run.stderr)")
        try #require(Self.spooled(scratch).count == 1, "\(run.stderr)")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let open = try ReliabilityStateTests.sqlite(database, "SELECT count(*) FROM job_runs WHERE finished_at IS NULL")
        #expect(open == "1", "the start was recorded, the end kept aside")

        // An interrupted recording: the spool file survives the commit; recording it again changes nothing.
        let file = scratch.path + "/state/fw.db.spool/" + Self.spooled(scratch)[0]
        let kept = try Data(contentsOf: URL(fileURLWithPath: file))
        let next = try factorwatch(["run", "--config", config, "--job", "download", "--", "true"])
        #expect(next.status == 0 && !next.stderr.contains("unavailable"), "\(next.stderr)")
        try kept.write(to: URL(fileURLWithPath: file))
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00"])
        let runs = try ReliabilityStateTests.sqlite(database,
            "SELECT count(*), sum(finished_at IS NULL), sum(exit_code = 0) FROM job_runs")
        #expect(runs == "2|0|2", "two runs, both finished, none twice: \(runs)")
        #expect(Self.spooled(scratch).isEmpty)
    }

    @Test func aSpoolFileThatCannotBeReadIsAnErrorAndStays() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        _ = try factorwatch(["eval", "--config", config, "--now", now])
        let file = scratch.write("state/fw.db.spool/1764000000000000-42.json", "{\"job\": \"download\", \"host\"")
        let eval = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:50:00+08:00", "--format", "json"])
        #expect(eval.status == 1, "a collector failed: \(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let errors = (object["errors"] as? [[String: String]]) ?? []
        #expect(errors.contains { $0["collector"] == "jobs" && $0["message"]?.hasPrefix(file + ": ") == true },
                "\(errors)")
        #expect(FileManager.default.fileExists(atPath: file), "never dropped")
    }
}
