import Foundation
import Testing

@testable import FactorWatch

@Suite struct JobsCollectorTests {
    private let schedule = try! CronSchedule("30 2 * * *")

    /// A state database with the given runs of `incremental_update`, and a collector reading it as host `testhost`.
    private func collector(_ runs: [JobRun], dir: CollectScratchDirectory,
                           budget: Double? = nil) throws -> JobsCollector {
        let path = dir.path + "/state.db"
        let store = try StateStore(path: path)
        for run in runs { try store.recordJobRun(run) }
        let spec = JobSpec(name: "incremental_update", schedule: schedule, grace: 15 * 60, budget: budget)
        return JobsCollector(jobs: [spec], statePath: path, host: "testhost")
    }

    private func run(_ start: String, _ end: String?, exit: Int32? = 0, pid: Int32? = nil,
                     host: String = "testhost") -> JobRun {
        JobRun(job: "incremental_update", host: host, pid: pid, startedAt: at(start), finishedAt: end.map(at),
               exitCode: end == nil ? nil : exit)
    }

    private let job: Labels = ["job": "incremental_update"]

    private func context(_ time: String, _ memory: CollectorMemory) -> CollectionContext {
        CollectionContext(now: Timestamp.parse(time, in: collectTestZone)!, zone: collectTestZone, calendar: .weekdays,
                          memory: memory)
    }

    @Test func aJobNeverRecordedIsNewNotOverdue() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([], dir: dir)
        let memory = EphemeralMemory()
        let first = try jobs.collect(context("2026-11-24T02:50", memory))
        #expect(first.observed("job_overdue_seconds", job) == nil)
        #expect(first.observed("job_new", job) == 1)
        #expect(first.observed("job_unrecorded_starts", job) == 0)
        #expect(first.observed("job_running_seconds", job).isClose(to: 0))
        #expect(first.observed("job_last_exit_code", job) == nil)
        // Watched since 2026-11-24 02:50: the 25th's and 26th's 02:30 starts passed their grace with no run.
        #expect(try jobs.collect(context("2026-11-25T02:44", memory))
            .observed("job_unrecorded_starts", job) == 0)
        #expect(try jobs.collect(context("2026-11-25T02:45", memory))
            .observed("job_unrecorded_starts", job) == 1)
        #expect(try jobs.collect(context("2026-11-26T03:00", memory))
            .observed("job_unrecorded_starts", job) == 2)
    }

    @Test func afterItsFirstRunAMissedStartIsOverdue() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([run("2026-11-23T02:30", "2026-11-23T02:34")], dir: dir)
        let observations = try jobs.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_new", job) == 0)
        #expect(observations.observed("job_unrecorded_starts", job) == nil)
        #expect(observations.observed("job_overdue_seconds", job).isClose(to: 300))
    }

    @Test func aRunStartedAfterTheScheduledStartIsNotOverdue() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([run("2026-11-24T02:31", "2026-11-24T02:33")], dir: dir, budget: 300)
        let observations = try jobs.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_overdue_seconds", job).isClose(to: 0))
        #expect(observations.observed("job_last_duration_seconds", job).isClose(to: 120))
        #expect(observations.observed("job_last_exit_code", job).isClose(to: 0))
        #expect(observations.observed("job_since_success_seconds", job).isClose(to: 17 * 60))
        #expect(observations.observed("job_budget_seconds", job).isClose(to: 300))
    }

    @Test func yesterdaysRunDoesNotCountForToday() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([run("2026-11-23T02:30", "2026-11-23T02:34")], dir: dir)
        #expect(try jobs.collect(collectContext("2026-11-24T02:40"))
            .observed("job_overdue_seconds", job).isClose(to: 0))
        #expect(try jobs.collect(collectContext("2026-11-24T02:50"))
            .observed("job_overdue_seconds", job).isClose(to: 300))
    }

    @Test func lastExitAndSinceSuccessFollowTheirOwnRuns() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([run("2026-11-23T02:30", "2026-11-23T02:34"),
                                  run("2026-11-24T02:30", "2026-11-24T02:31", exit: 2)], dir: dir)
        let observations = try jobs.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_last_exit_code", job).isClose(to: 2))
        #expect(observations.observed("job_last_duration_seconds", job).isClose(to: 60))
        #expect(observations.observed("job_since_success_seconds", job).isClose(to: 86_400 - 4 * 60 + 20 * 60))
    }

    @Test func anUnfinishedRunWithALiveProcessIsRunning() throws {
        let dir = try CollectScratchDirectory()
        let jobs = try collector([run("2026-11-24T02:31", nil, pid: getpid())], dir: dir)
        let observations = try jobs.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_running_seconds", job)
            .isClose(to: 19 * 60))
        #expect(observations.observed("job_overdue_seconds", job).isClose(to: 0))
    }

    @Test func anUnfinishedRunWhoseProcessIsGoneIsReportedAsCrashed() throws {
        let dir = try CollectScratchDirectory()
        let finished = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        finished.waitUntilExit()
        let deadPID = finished.processIdentifier
        let jobs = try collector([run("2026-11-24T02:00", "2026-11-24T02:01"),
                                  run("2026-11-24T02:31", nil, pid: deadPID)], dir: dir)
        let observations = try jobs.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_last_exit_code", job).isClose(to: -1))
        #expect(observations.observed("job_running_seconds", job).isClose(to: 0))
        // On another host the pid cannot be checked, so the run counts as going.
        let elsewhere = JobsCollector(jobs: jobs.jobs, source: jobs.source, host: "otherhost")
        #expect(try elsewhere.collect(collectContext("2026-11-24T02:50")).observed("job_running_seconds", job)
            .isClose(to: 19 * 60))
    }

    @Test func aRunRecordedByTheWrapperIsCollected() throws {
        let wrapped = WrappedJob()
        #expect(wrapped.run(["sh", "-c", "exit 6"]) == 6)
        let jobs = JobsCollector(jobs: [JobSpec(name: "incremental_update")], statePath: wrapped.statePath,
                                 host: "testhost")
        let context = CollectionContext(now: Date(), zone: collectTestZone, calendar: .weekdays)
        let observations = try jobs.collect(context)
        #expect(observations.observed("job_last_exit_code", job).isClose(to: 6))
        #expect((observations.observed("job_last_duration_seconds", job) ?? -1) >= 0)
        #expect(observations.observed("job_overdue_seconds", job) == nil)
    }

    @Test func anUnreadableStateDatabaseFailsTheCollector() throws {
        let dir = try CollectScratchDirectory()
        let path = try dir.file("state.db", size: 4_096)
        let jobs = JobsCollector(jobs: [JobSpec(name: "download")], statePath: path)
        #expect(throws: CollectorFailure.self) { try jobs.collect(collectContext("2026-11-24T02:50")) }
    }
}

extension Optional where Wrapped == Double {
    /// Equal within a microsecond: instants go through SQLite as seconds since 1970 and lose the last bits.
    func isClose(to expected: Double) -> Bool {
        guard let self else { return false }
        return abs(self - expected) < 1e-6
    }
}
