import Foundation
import Testing

/// The wording of the messages people meet most, pinned as the binary prints them: the command, what failed and
/// on what, then what to do. Positions and paths are worked out here from the files the test wrote.
struct MessageWordingTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// Line and column (both from 1) of the first occurrence of `word` in `text`.
    func position(of word: String, in text: String) -> (Int, Int)? {
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if let range = line.range(of: word) {
                return (index + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
            }
        }
        return nil
    }

    @Test func aConfigurationProblemIsFileLineColumnThenTheMessage() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "colectors: {}")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let (line, column) = try #require(position(of: "colectors", in: text))
        let eval = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(eval.status == 2)
        let first = eval.stderr.components(separatedBy: "\n").first ?? ""
        let expected = "\(config):\(line):\(column): unknown key \"colectors\" in factorwatch.yaml; "
            + "did you mean \"collectors\"?"
        #expect(first == expected, "\(eval.stderr)")
    }

    @Test func aDamagedStateDatabaseIsNamedWithWhatToDo() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let database = scratch.write("state/fw.db", String(repeating: "not a database\n", count: 200))
        let alerts = try factorwatch(["alerts", "--config", config])
        #expect(alerts.status == 2)
        let prefix = "factorwatch alerts: \(database): the state database is damaged or not a database ("
        #expect(alerts.stderr.hasPrefix(prefix), "\(alerts.stderr)")
        #expect(alerts.stderr.contains("Keep a copy (cp -p \(database)* somewhere safe), check it with sqlite3 "
                                       + "\(database) 'PRAGMA integrity_check', then move it aside"), "\(alerts.stderr)")
        #expect(alerts.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "\(alerts.stderr)")
    }

    @Test func aHeldRunLockNamesItsHolderAndTheWait() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 1s")
        let lock = scratch.path + "/state/fw.db.lock"
        try FileManager.default.createDirectory(atPath: scratch.path + "/state", withIntermediateDirectories: true)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, b"pid 4242\\n")
            open(sys.argv[2], "w").close()
            time.sleep(30)
            """, lock, scratch.path + "/locked"]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        try #require(waitForFile(scratch.path + "/locked"), "the lock holder never started")
        let eval = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(eval.status != 0)
        #expect(eval.stderr.hasPrefix("factorwatch eval: another factorwatch run holds \(lock) (pid 4242); waited 1s. "
                                      + "If no other run is active, the previous one may be stuck: check `ps` for "
                                      + "factorwatch."), "\(eval.stderr)")
    }

    @Test(arguments: [
        (["eval", "--now", "yesterday"],
         "factorwatch eval: --now: cannot read \"yesterday\" as a time; use ISO 8601, e.g. 2026-11-24T02:45:00+08:00"),
        (["eval", "--rule", "Nope", "--now", "2026-11-24T02:45:00+08:00"],
         "factorwatch eval: unknown rule \"Nope\"; rules: "),
        (["eval", "--rule", "FactorDataStal", "--now", "2026-11-24T02:45:00+08:00"],
         "factorwatch eval: unknown rule \"FactorDataStal\"; did you mean \"FactorDataStale\"?"),
        (["cron", "--every", "75"], "factorwatch cron: --every 75 is not between 1 and 59 minutes"),
        (["notify-test", "pager"], "factorwatch notify-test: unknown channel \"pager\"; channels: alerts_log"),
        (["replay", "--from", "20261201", "--to", "20261101"],
         "factorwatch replay: --from is after --to; give the earlier date to --from"),
        (["run", "--job", "update"],
         "factorwatch run: no command to run; give it after --, e.g. factorwatch run --job update -- ./update.sh"),
    ])
    func usageErrorsSayTheCommandTheValueAndTheExpectedForm(arguments: [String], expected: String) throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let result = try factorwatch([arguments[0], "--config", config] + arguments.dropFirst())
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
    }
}
