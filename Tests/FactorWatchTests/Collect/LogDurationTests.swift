import Foundation
import Testing

@testable import FactorWatch

@Suite struct LogDurationTests {
    private let guideLog = """
        2026-11-23 02:30:01,123 - INFO - Starting incremental update
        2026-11-23 02:34:11,623 - INFO - Incremental update complete
        2026-11-24 02:30:00,000 - INFO - Starting incremental update
        2026-11-24 02:31:00,000 - INFO - Loaded 4987 stocks
        2026-11-24 02:36:30,500 - INFO - Incremental update complete

        """

    private func spec(_ log: String, dir: CollectScratchDirectory) throws -> JobSpec {
        let path = dir.path + "/update.log"
        try log.write(toFile: path, atomically: true, encoding: .utf8)
        let source = LogDurationSource(path: path, startPattern: "Starting incremental update",
                                       endPattern: "Incremental update complete",
                                       timestampFormat: try LogTimestampFormat("%Y-%m-%d %H:%M:%S,%f"))
        return JobSpec(name: "incremental_update", schedule: try CronSchedule("30 2 * * *"), grace: 900, log: source)
    }

    private let job: Labels = ["job": "incremental_update"]

    @Test func theLastCompleteStartEndPairGivesTheDuration() throws {
        let dir = try CollectScratchDirectory()
        let collector = JobsCollector(jobs: [try spec(guideLog, dir: dir)], statePath: dir.path + "/none.db")
        let observations = try collector.collect(collectContext("2026-11-24T02:50"))
        #expect(observations.observed("job_last_duration_seconds", job).isClose(to: 390.5))
        #expect(observations.observed("job_last_exit_code", job).isClose(to: 0))
        #expect(observations.observed("job_since_success_seconds", job).isClose(to: 809.5))
        #expect(observations.observed("job_overdue_seconds", job).isClose(to: 0))
        #expect(observations.observed("job_running_seconds", job).isClose(to: 0))
    }

    @Test func aStartWithoutAnEndIsRunning() throws {
        let dir = try CollectScratchDirectory()
        let log = guideLog + "2026-11-25 02:30:00,000 - INFO - Starting incremental update\n"
        let collector = JobsCollector(jobs: [try spec(log, dir: dir)], statePath: dir.path + "/none.db")
        let observations = try collector.collect(collectContext("2026-11-25T02:40"))
        #expect(observations.observed("job_running_seconds", job).isClose(to: 600))
        #expect(observations.observed("job_last_duration_seconds", job).isClose(to: 390.5))
    }

    @Test func timestampFormatsParseFractionsAndOffsets() throws {
        let format = try LogTimestampFormat("%Y-%m-%dT%H:%M:%S.%f%z")
        let date = format.parse(Substring("[2026-11-24T02:30:01.250+08:00] start").utf8, in: .utc)
        #expect(date == at("2026-11-24T02:30:01").addingTimeInterval(0.25))
        #expect(LogTimestampFormat.standard.parse(Substring("no time here").utf8, in: .utc) == nil)
        #expect(throws: LogTimestampFormat.FormatError.self) { try LogTimestampFormat("%Y-%q") }
    }
}
