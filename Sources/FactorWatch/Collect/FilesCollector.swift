/// For each named glob, the newest matching regular file (by modification time): how old and how big it is, and
/// how many files match.
///
/// A glob that matches nothing, including one whose directory does not exist, yields only `file_count{name} 0`,
/// which is what rules test. A directory on the way that exists but cannot be read adds `file_glob_error{name} 1`,
/// so a permissions problem is not mistaken for a missing backup.
public struct FilesCollector: Collector {
    public var name: String { "files" }
    public let files: [(name: String, glob: String)]

    public init(files: [(name: String, glob: String)]) {
        self.files = files
    }

    public var metricNames: [String] { ["file_age_hours", "file_size_bytes", "file_count", "file_glob_error"] }

    /// The newest regular file a glob matches, and how many there are.
    public struct Newest: Sendable, Equatable {
        public var path: String
        public var status: FileSystem.Status
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        let now = context.now.timeIntervalSince1970
        var observations: [Observation] = []
        for file in files {
            let labels: Labels = ["name": file.name]
            let (matches, newest, unreadable) = FilesCollector.scan(Glob(file.glob))
            observations.append(Observation("file_count", labels, matches))
            if let newest {
                observations.append(Observation("file_age_hours", labels, (now - newest.status.modified) / 3_600))
                observations.append(Observation("file_size_bytes", labels, Double(newest.status.size)))
            }
            if !unreadable.isEmpty {
                observations.append(Observation("file_glob_error", labels, 1))
            }
        }
        return observations
    }

    /// Matching regular files (symbolic links followed), the newest of them (ties go to the later path), and the
    /// directories that could not be read.
    public static func scan(_ glob: Glob) -> (count: Int, newest: Newest?, unreadable: [FileSystem.Failure]) {
        let expansion = glob.expand()
        var count = 0
        var newest: Newest?
        for path in expansion.paths {
            guard let status = try? FileSystem.status(path), status.kind == .regular else { continue }
            count += 1
            if newest == nil || status.modified >= newest!.status.modified {
                newest = Newest(path: path, status: status)
            }
        }
        return (count, newest, expansion.unreadable)
    }
}
