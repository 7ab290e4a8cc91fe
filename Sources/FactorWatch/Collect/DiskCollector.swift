/// Space and inodes of the file systems holding the configured paths, computed as `df` computes them.
///
/// `disk_used_percent{path}` is 100 × used / (used + available), with used = (f_blocks − f_bfree) × f_frsize and
/// available = f_bavail × f_frsize, so blocks reserved for root count as neither (df then rounds up; we do not).
/// `disk_free_bytes{path}` is what an unprivileged writer may still use, `disk_total_bytes{path}` the size, and
/// `disk_inodes_used_percent{path}` is 100 × (f_files − f_ffree) / f_files, 0 where the file system has no inode
/// count (btrfs and some network file systems report 0).
public struct DiskCollector: Collector {
    public var name: String { "disk" }
    public let paths: [String]

    public init(paths: [String]) {
        self.paths = paths
    }

    public var metricNames: [String] {
        ["disk_used_percent", "disk_free_bytes", "disk_total_bytes", "disk_inodes_used_percent"]
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        var observations: [Observation] = []
        var failures: [String] = []
        for path in paths {
            let space: FileSystem.Space
            do {
                space = try FileSystem.space(path)
            } catch {
                failures.append("\(path): \(error.reason)")
                continue
            }
            observations.append(contentsOf: DiskCollector.observations(path: path, space: space))
        }
        guard failures.isEmpty else {
            throw CollectorFailure(
                "cannot stat " + failures.joined(separator: "; "),
                observations: observations)
        }
        return observations
    }

    static func observations(path: String, space: FileSystem.Space) -> [Observation] {
        let labels: Labels = ["path": path]
        let used = Double(space.usedBytes)
        let available = Double(space.availableBytes)
        let usedPercent = used + available > 0 ? 100 * used / (used + available) : 0
        let inodesUsed = space.totalInodes >= space.freeInodes ? space.totalInodes - space.freeInodes : 0
        let inodesPercent = space.totalInodes > 0 ? 100 * Double(inodesUsed) / Double(space.totalInodes) : 0
        return [
            Observation("disk_used_percent", labels, usedPercent),
            Observation("disk_free_bytes", labels, Double(space.availableBytes)),
            Observation("disk_total_bytes", labels, Double(space.totalBytes)),
            Observation("disk_inodes_used_percent", labels, inodesPercent),
        ]
    }
}
