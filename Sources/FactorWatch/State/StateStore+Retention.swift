#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StateStore {
    /// Job runs kept per job whatever their age: the newest ones are what JobMissed and `jobs` read.
    static let jobRunsKept = 100

    /// Forgets what no command reads any more, older than `before` (the evaluation's own clock, so `--now`
    /// replays prune as a real night would): silences that ended, notifications that died (their error has
    /// been reported for a day and shown by `alerts` since), and job runs beyond the newest `jobRunsKept` of
    /// each job. Queued notifications and running jobs are never pruned.
    public func pruneRetained(before: Date) throws {
        let horizon = real(before)
        try database.query("DELETE FROM silences WHERE ends_at < ?", [horizon])
        try database.query("DELETE FROM outbox WHERE status = 'dead' AND next_attempt_at < ?", [horizon])
        try database.query("""
            DELETE FROM job_runs WHERE finished_at IS NOT NULL AND started_at < ? AND id NOT IN (
                SELECT id FROM job_runs AS newest WHERE newest.job = job_runs.job
                ORDER BY newest.started_at DESC LIMIT ?)
            """, [horizon, .integer(Int64(StateStore.jobRunsKept))])
    }
}
