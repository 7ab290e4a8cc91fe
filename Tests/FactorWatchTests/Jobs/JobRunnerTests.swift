import Foundation
import Testing

@testable import FactorWatch

@Suite struct JobRunnerTests {
    @Test func passesTheExitStatusThroughAndRecordsTheRun() throws {
        let job = WrappedJob()
        let before = Date()
        let status = job.run(["sh", "-c", "echo hello; echo oops >&2; exit 3"])
        #expect(status == 3)
        #expect(job.output == "hello\n")
        #expect(job.errors == "oops\n")
        let runs = try job.runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.exitCode == 3)
        #expect(run.signal == nil)
        #expect(run.timedOut == false)
        #expect(run.host == "testhost")
        #expect((run.pid ?? 0) > 0)
        #expect(run.startedAt >= before.addingTimeInterval(-1))
        #expect((run.duration ?? -1) >= 0 && (run.duration ?? 99) < 10)
        #expect(run.outputTail?.contains("hello") == true)
        #expect(run.outputTail?.contains("oops") == true)
    }

    @Test func aSuccessfulJobExitsZero() throws {
        let job = WrappedJob()
        #expect(job.run(["true"]) == 0)
        #expect(try job.runs().first?.exitCode == 0)
    }

    @Test func aJobKilledByASignalExitsWith128PlusTheSignal() throws {
        let job = WrappedJob()
        #expect(job.run(["sh", "-c", "kill -9 $$"]) == 137)
        let run = try #require(try job.runs().first)
        #expect(run.exitCode == 137)
        #expect(run.signal == 9)
    }

    @Test func aMissingCommandExits127AndIsRecorded() throws {
        let job = WrappedJob()
        #expect(job.run(["no-such-command-factorwatch-test"]) == 127)
        #expect(job.errors.contains("no-such-command-factorwatch-test"))
        #expect(try job.runs().first?.exitCode == 127)
    }

    @Test func aHungJobIsTerminatedAtTheTimeout() throws {
        let job = WrappedJob()
        let clock = ContinuousClock.now
        let status = job.run(["sleep", "30"], timeout: 0.5)
        #expect(status == 143)
        #expect(ContinuousClock.now - clock < .seconds(5))
        let run = try #require(try job.runs().first)
        #expect(run.timedOut)
        #expect(run.signal == 15)
        #expect(job.errors.contains("timed out"))
    }

    @Test func aJobIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let job = WrappedJob()
        let clock = ContinuousClock.now
        let status = job.run(["sh", "-c", "trap '' TERM; sleep 30"], timeout: 0.3, killGrace: 0.5)
        #expect(status == 137)
        #expect(ContinuousClock.now - clock < .seconds(5))
        #expect(try job.runs().first?.timedOut == true)
    }

    @Test func megabytesOfOutputPassThroughWhileOnlyTheTailIsKept() throws {
        let job = WrappedJob()
        let count = 400_000
        let status = job.run(["seq", "1", "\(count)"])
        #expect(status == 0)
        let expected = (1...count).map { "\($0)\n" }.joined()
        let written = try FileManager.default.attributesOfItem(atPath: job.outputPath)[.size] as? Int
        #expect(written == expected.utf8.count)
        #expect(job.output == expected)
        let tail = try #require(try job.runs().first?.outputTail)
        #expect(tail == ((count - 49)...count).map(String.init).joined(separator: "\n"))
    }

    @Test func aMissingStateDirectoryDoesNotStopTheJob() throws {
        let job = WrappedJob()
        let marker = job.dir.file("ran")
        let status = job.run(["sh", "-c", "touch '\(marker)'; exit 4"], statePath: job.dir.file("absent/state.db"))
        #expect(status == 4)
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(job.errors.split(separator: "\n").count == 1)
        #expect(job.errors.contains("unavailable") && job.errors.contains("is not recorded"), "\(job.errors)")
    }

    @Test func aCorruptStateDatabaseDoesNotStopTheJob() throws {
        let job = WrappedJob()
        try Data(repeating: 0x5A, count: 8_192).write(to: URL(fileURLWithPath: job.statePath))
        let marker = job.dir.file("ran")
        #expect(job.run(["sh", "-c", "touch '\(marker)'"]) == 0)
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(job.errors.split(separator: "\n").count == 1)
        #expect(job.errors.contains("unavailable"))
    }

    @Test func aLockedStateDatabaseDoesNotStopTheJob() throws {
        let job = WrappedJob()
        _ = try StateStore(path: job.statePath)
        // Another process holds an exclusive lock for longer than the wrapper waits.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(20)
            """, job.statePath]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { holder.terminate() }
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.contains("locked"))
        let clock = ContinuousClock.now
        let marker = job.dir.file("ran")
        #expect(job.run(["sh", "-c", "touch '\(marker)'; exit 5"], busyTimeout: 0.3) == 5)
        #expect(ContinuousClock.now - clock < .seconds(5))
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(job.errors.split(separator: "\n").count == 1)
        #expect(job.errors.contains("unavailable") && job.errors.contains("is kept in"), "\(job.errors)")
        // Once the lock is gone, the kept run is recorded as it ended, and the spool is emptied.
        holder.terminate()
        holder.waitUntilExit()
        let spool = JobRunSpool(statePath: job.statePath)
        #expect(try spool.record(into: StateStore(path: job.statePath)) == 1)
        #expect(try job.runs().map(\.exitCode) == [5])
        #expect(spool.pending().runs.isEmpty)
    }

    @Test func forwardsSIGTERMToTheJob() throws {
        let job = WrappedJob()
        let marker = job.dir.file("started")
        // Signal this process once the job is running; the wrapper's handler must pass it on.
        let sender = Thread {
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) { usleep(20_000) }
            usleep(100_000)
            kill(getpid(), SIGTERM)
        }
        sender.start()
        let status = job.run(["sh", "-c", "touch '\(marker)'; exec sleep 30"], forwardSignals: true)
        #expect(status == 143)
        #expect(try job.runs().first?.signal == 15)
    }
}
