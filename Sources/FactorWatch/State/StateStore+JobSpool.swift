/// Runs kept in the spool (`STATE.spool/`) when the wrapper could not write them, recorded here later.
extension StateStore {
    /// Records a spooled run once: it finishes the row its start left (`startedID`) if that row is still open,
    /// skips a run already recorded (a spool file whose removal was interrupted), and otherwise inserts it.
    /// Returns whether anything was written.
    @discardableResult
    func recordSpooled(_ run: JobRun, startedID: Int64?) throws -> Bool {
        let pid: SQLiteValue = run.pid.map { .integer(Int64($0)) } ?? .null
        let started = SQLiteValue.real(run.startedAt.timeIntervalSince1970)
        if let startedID, let finished = run.finishedAt {
            let open = try database.query(
                "SELECT 1 FROM job_runs WHERE id = ? AND job = ? AND started_at = ? AND finished_at IS NULL",
                [.integer(startedID), .text(run.job), started])
            if !open.isEmpty {
                try recordJobEnd(id: startedID, at: finished, exitCode: run.exitCode ?? -1, signal: run.signal,
                                 timedOut: run.timedOut, outputTail: run.outputTail)
                return true
            }
        }
        let recorded = try database.query("""
            SELECT 1 FROM job_runs WHERE job = ? AND host = ? AND pid IS ? AND started_at = ?
            AND finished_at IS NOT NULL
            """, [.text(run.job), .text(run.host), pid, started])
        guard recorded.isEmpty else { return false }
        try recordJobRun(run)
        return true
    }
}
