extension LogsCollector {
    /// The collector with each log linked to the job whose `log:` is the same path, so a log that does not exist
    /// yet is not a failure before that job's first recorded run.
    func linked(to jobs: [JobEntry], runs: any JobRunSource) -> LogsCollector {
        var owners: [String: String] = [:]
        for job in jobs { if let log = job.log, owners[log] == nil { owners[log] = job.name } }
        var linked = LogsCollector(logs: logs.map { log in
            var log = log
            log.job = log.job ?? owners[log.path]
            return log
        })
        linked.jobRuns = runs
        return linked
    }

    /// True when `log` has never been seen, does not exist, and its job has no recorded run: nothing to read and
    /// nothing wrong yet (no series, no failure). Once the job has run, a missing log is a failure again.
    func waitsForItsJob(_ log: LogSpec, memory: CollectorMemory) -> Bool {
        guard let job = log.job, let jobRuns, memory.value(collector: name, key: log.path) == nil,
              (try? FileSystem.status(log.path)) == nil else { return false }
        guard let summaries = try? jobRuns.summaries(jobs: [job]) else { return false }
        return summaries[job]?.latest == nil
    }
}
