import Foundation
import Testing

/// kill -9 in the middle of evaluations and job wrappers racing on one database, starting from no database at
/// all: nothing is lost, nothing is sent twice except the one notification in flight when a run was killed, and
/// SQLite's own integrity_check passes. Eight rounds here (about half a minute); FACTORWATCH_SOAK=1 runs 60.
@Suite struct ReliabilityKillTests {
    static let rounds = ProcessInfo.processInfo.environment["FACTORWATCH_SOAK"] == "1" ? 60 : 8

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(.timeLimit(.minutes(10)))
    func killedAndRacingRunsLoseNothingAndDuplicateOnlyWhatWasInFlight() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration(extra: "lock_timeout: 60s")
        let database = scratch.path + "/state/fw.db"
        var generator = SystemRandomNumberGenerator()
        var kills = 0, recordedRuns = 0
        var stamps: [String] = []
        for round in 0..<Self.rounds {
            // Every 3 rounds the clock moves 3 hours: the critical alert's 2 h repeat is due again.
            let now = Date(timeIntervalSince1970: 1_795_459_500 + Double(round / 3) * 3 * 3_600)
            let stamp = ISO8601DateFormatter().string(from: now)
            if stamps.last != stamp { stamps.append(stamp) }
            var evals: [Process] = []
            var runs: [Process] = []
            for _ in 0..<3 { evals.append(try Self.start(["eval", "--config", config, "--now", stamp])) }
            for _ in 0..<2 {
                runs.append(try Self.start(["run", "--config", config, "--job", "download", "--", "true"]))
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.4, using: &generator))
            let victim = evals[Int.random(in: 0..<evals.count, using: &generator)]
            if victim.isRunning, kill(victim.processIdentifier, SIGKILL) == 0 { kills += 1 }
            for process in evals + runs { process.waitUntilExit() }
            recordedRuns += runs.filter { $0.terminationStatus == 0 }.count
        }
        // One clean run delivers whatever a killed one left queued.
        let last = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_795_459_500
            + Double((Self.rounds - 1) / 3) * 3 * 3_600 + 60))
        _ = try factorwatch(["eval", "--config", config, "--now", last])

        #expect(try ReliabilityStateTests.sqlite(database, "PRAGMA integrity_check") == "ok")
        #expect(try ReliabilityStateTests.sqlite(database, "SELECT count(*) FROM job_runs WHERE exit_code = 0")
                == "\(recordedRuns)", "every job run that finished was recorded")
        #expect(try ReliabilityStateTests.sqlite(database, "SELECT count(*) FROM outbox WHERE status != 'sent'")
                == "0", "nothing left undelivered")
        // What the log channel received, against a control: the same clock steps, one quiet eval each.
        let notices = try Self.notices(scratch)
        let control = Scratch()
        let controlConfig = control.demoConfiguration(extra: "lock_timeout: 60s")
        for stamp in stamps + [last] { _ = try factorwatch(["eval", "--config", controlConfig, "--now", stamp]) }
        let expected = try Self.notices(control)
        #expect(!expected.isEmpty)
        #expect(Set(notices.keys) == Set(expected.keys), "lost or extra notices: \(notices) against \(expected)")
        // A digest sent twice repeats all of its lines: count the extra copies per digest (its time), not per line.
        var copies: [String: Int] = [:]
        for (key, count) in notices {
            let time = String(key.split(separator: "|").last ?? "")
            copies[time] = max(copies[time] ?? 0, count)
        }
        let duplicates = copies.values.reduce(0) { $0 + $1 - 1 }
        #expect(duplicates <= kills, "\(duplicates) duplicate digests after \(kills) kills: \(notices)")
        print("kill test: \(Self.rounds) rounds, \(kills) kills, \(recordedRuns) job runs, "
              + "\(notices.count) notices, \(duplicates) duplicates")
    }

    /// The log channel's lines as JSON objects read them, counted by alert, status and digest time.
    static func notices(_ scratch: Scratch) throws -> [String: Int] {
        let text = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
        var notices: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                                      "a whole JSON line: \(line)")
            let labels = (object["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            notices["\(object["rule"] ?? "")\(labels)|\(object["status"] ?? "")|\(object["time"] ?? "")", default: 0]
                += 1
        }
        return notices
    }
}
