/// Decodes `collectors:` of factorwatch.yaml into collectors. Each kind's keys are checked strictly.
struct CollectorDecoder {
    let decoder: NodeDecoder
    let zone: TimeZoneRules
    let statePath: String
    let host: String
    /// The jobs found under `jobs:`, for `cron` and `run`.
    var jobEntries: [JobEntry] = []

    static let kinds = ["factor_files", "disk", "files", "jobs", "logs", "system", "risk_params", "specific_risk"]

    mutating func decode(_ node: ConfigNode) -> [any Collector] {
        guard let entries = decoder.entries(node, what: "collectors") else { return [] }
        var collectors: [any Collector] = []
        for entry in entries {
            let made: [any Collector]?
            switch entry.key {
            case "factor_files": made = factorFiles(entry.value)
            case "disk": made = disk(entry.value)
            case "files": made = files(entry.value)
            case "jobs":
                let decoded = jobs(entry.value)
                jobEntries = decoded?.entries ?? []
                made = decoded.map { [$0.collector] }
            case "logs": made = logs(entry.value)
            case "system": made = system(entry.value)
            case "risk_params": made = riskParams(entry.value)
            case "specific_risk": made = specificRisk(entry.value)
            default:
                decoder.problems.error(entry.keyLocation, "unknown collector \"\(entry.key)\"; "
                                       + suggestion(for: entry.key, in: CollectorDecoder.kinds))
                made = nil
            }
            collectors += made ?? []
        }
        let runs = SQLiteJobRunSource(path: statePath)
        return collectors.map { ($0 as? LogsCollector)?.linked(to: jobEntries, runs: runs) ?? $0 }
    }

    private func factorFiles(_ node: ConfigNode) -> [any Collector]? {
        guard let f = decoder.fields(node, what: "collector factor_files",
                                     allowed: ["dir", "pattern", "code_column", "factors", "include", "exclude", "quality",
                                               "checks", "expected_by"]),
              let dirNode = f.required("dir", decoder.problems),
              let dir = decoder.path(dirNode, what: "dir") else { return nil }
        guard let pattern = decoder.filePattern(f["pattern"]) else { return nil }
        var files = FactorFilesCollector(dir: dir, pattern: pattern, label: decoder.string(dirNode, what: "dir"))
        if let node = f["expected_by"], let text = decoder.string(node, what: "expected_by") {
            files.expectedBy = ExpectedArrival(text)
            if files.expectedBy == nil {
                decoder.problems.error(node.location, "expected_by must be a time of day HH:MM (as \"03:00\"), "
                                       + "not \"\(text)\"")
            }
        }
        var collectors: [any Collector] = [files]
        // The quality of the latest file is read from the same directory unless `quality: false`.
        if f["quality"].flatMap({ decoder.bool($0, what: "quality") }) ?? true {
            let code = f["code_column"].flatMap(codeColumns) ?? ["ts_code"]
            let selection = FactorColumnSelection(
                factors: f["factors"].flatMap { decoder.strings($0, what: "factors") },
                include: f["include"].flatMap { decoder.strings($0, what: "include") } ?? [],
                exclude: f["exclude"].flatMap { decoder.strings($0, what: "exclude") } ?? [])
            guard let checks = factorChecks(f["checks"]) else { return nil }
            collectors.append(FactorQualityCollector(dir: dir, pattern: pattern, codeColumns: code,
                                                     selection: selection, checks: checks))
        }
        return collectors
    }

    private func disk(_ node: ConfigNode) -> [any Collector]? {
        guard let f = decoder.fields(node, what: "collector disk", allowed: ["paths"]),
              let pathsNode = f.required("paths", decoder.problems),
              let items = decoder.list(pathsNode, what: "paths") else { return nil }
        let paths = items.compactMap { decoder.path($0, what: "path") }
        return [DiskCollector(paths: paths)]
    }

    private func files(_ node: ConfigNode) -> [any Collector]? {
        guard let entries = decoder.entries(node, what: "collector files") else { return nil }
        var files: [(name: String, glob: String)] = []
        for entry in entries {
            guard let f = decoder.fields(entry.value, what: "files entry \(entry.key)", allowed: ["glob"]),
                  let globNode = f.required("glob", decoder.problems),
                  let glob = decoder.path(globNode, what: "glob") else { continue }
            files.append((entry.key, glob))
        }
        return [FilesCollector(files: files)]
    }
}

extension NodeDecoder {
    /// A factor-file name pattern (`%Y%m%d.parquet` when not given); nil, with the problem recorded, when invalid.
    func filePattern(_ node: ConfigNode?) -> String? {
        guard let node else { return FactorFilesCollector.Pattern.defaultText }
        guard let text = string(node, what: "pattern") else { return nil }
        do {
            _ = try FactorFilesCollector.Pattern(text)
            return text
        } catch {
            problems.error(node.location, "\(error)")
            return nil
        }
    }
}
