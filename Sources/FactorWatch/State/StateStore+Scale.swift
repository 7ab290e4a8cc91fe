/// What keeps the state database cheap at cron frequency and with thousands of alerts: the second schema
/// version's column and indexes, and labels read back without a JSON decoder. (The journal stays a rollback
/// journal: a write-ahead log cannot be opened on a full disk, whose room the state reserve exists to make;
/// an evaluation that changes nothing writes nothing either way.)
extension StateStore {
    /// Version 2: `keep_firing_for`'s own column (it used to borrow `resolved_at`), and indexes for the job-run
    /// queries `status` and the jobs collector make (latest finished run, latest success).
    static let schemaV2 = """
        ALTER TABLE alerts ADD COLUMN keep_firing_since REAL;
        CREATE INDEX IF NOT EXISTS job_runs_finished ON job_runs (job, finished_at);
        CREATE INDEX IF NOT EXISTS job_runs_success ON job_runs (job, exit_code, finished_at);
        """

    /// The labels of a stored key (`a="1",b="2"`), parsed directly; nil when the text is not such a key, or does
    /// not write back to itself (then the JSON copy is read instead).
    static func labels(fromKey key: String) -> Labels? {
        if key.isEmpty { return Labels() }
        var pairs: [String: String] = [:]
        var rest = Substring(key)
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].first == "\"" else {
                return nil
            }
            let name = String(rest[..<equals])
            var value = ""
            var index = rest.index(equals, offsetBy: 2)
            var closed = false
            while index < rest.endIndex {
                let character = rest[index]
                index = rest.index(after: index)
                if character == "\"" {
                    closed = true
                    break
                }
                if character == "\\", index < rest.endIndex {
                    value.append(rest[index] == "n" ? "\n" : rest[index])
                    index = rest.index(after: index)
                } else {
                    value.append(character)
                }
            }
            guard closed, pairs.updateValue(value, forKey: name) == nil else { return nil }
            rest = rest[index...]
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
        }
        let labels = Labels(pairs)
        return labels.key == key ? labels : nil
    }
}
