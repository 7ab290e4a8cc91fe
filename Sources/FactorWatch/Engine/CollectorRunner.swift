/// A collector that failed, as `eval` reports it.
public struct CollectorErrorReport: Sendable, Codable, Equatable {
    public var collector: String
    public var message: String

    public init(collector: String, message: String) {
        self.collector = collector
        self.message = message
    }
}

/// Runs every collector once and adds `collector_up` for each; a failing collector never stops the others, and
/// with a `budget` (seconds) neither does a hung one: past it, the collector has failed.
public enum CollectorRunner {
    public static func run(_ collectors: [any Collector], context: CollectionContext, budget: Double? = nil)
        -> (observations: [Observation], errors: [CollectorErrorReport]) {
        var observations: [Observation] = []
        var errors: [CollectorErrorReport] = []
        var up: [String: Bool] = [:]
        for collector in collectors {
            do {
                if let budget {
                    guard let outcome = BudgetedCollection(collector, context: context).run(seconds: budget) else {
                        throw CollectorFailure("did not finish within its time budget of "
                                               + formatDuration(seconds: budget) + " (collector_timeout); given up")
                    }
                    observations += try outcome.get()
                } else {
                    observations += try collector.collect(context)
                }
                up[collector.name] = up[collector.name] ?? true
            } catch let failure as CollectorFailure {
                observations += failure.observations
                errors.append(CollectorErrorReport(collector: collector.name, message: failure.message))
                up[collector.name] = false
            } catch {
                errors.append(CollectorErrorReport(collector: collector.name, message: "\(error)"))
                up[collector.name] = false
            }
        }
        for (name, ok) in up.sorted(by: { $0.key < $1.key }) {
            observations.append(Observation("collector_up", ["collector": name], ok ? 1 : 0))
        }
        return (observations, errors)
    }
}
