#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension TextfileExport {
    /// Renders one evaluation (its duration measured from `since`, the queue read from the state database) and
    /// writes it atomically to `path`.
    public static func write(_ report: EvaluationReport, configuration: Configuration, since: ContinuousClock.Instant,
                             to path: String) throws {
        let elapsed = ContinuousClock.now - since
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var queued: [String: Int] = [:]
        let store = try StateStore(path: configuration.statePath, readOnly: true,
                                   busyTimeout: configuration.lockTimeout)
        for entry in try store.undelivered() where entry.status == .queued {
            queued[entry.channel, default: 0] += 1
        }
        try writeAtomically(render(report, duration: duration, queued: queued), to: path)
    }
}
