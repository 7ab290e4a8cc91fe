/// A channel whose file could not be used (a secret missing or unreadable, a bad key): it fails alone. Every other
/// channel, collector and rule still runs; what is routed to it is queued and retried, so it is delivered once the
/// file is fixed, and the built-in `ChannelBroken` alert tells the other channels.
public struct BrokenChannel: Channel {
    public let name: String
    /// What is wrong, as `file:line:column: message`.
    public let problems: [ConfigProblem]

    public init(name: String, problems: [ConfigProblem]) {
        self.name = name
        self.problems = problems
    }

    /// One line for people: the first problem, and how many more.
    public var reason: String {
        guard let first = problems.first else { return "unusable" }
        return first.description + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
    }

    public func render(_ digest: Digest) -> RenderedMessage {
        RenderedMessage(subject: "(not sent: channel \(name) is broken)", body: reason)
    }

    public func deliver(_ digest: Digest) -> Delivery {
        .failed("channel \(name) cannot be used: \(reason)", retryable: true)
    }

    static let alertName = "ChannelBroken"
    static let metric = "factorwatch_channel_broken"

    /// The alert for broken channels, sent through the channels that work.
    static func alertRule(healthy: [String]) -> Rule {
        // Constant text that parses.
        Rule(name: alertName, expression: try! RuleExpression("\(metric) > 0"), severity: .high,
             summary: try? Template("Channel {{ $labels.channel }} cannot send: {{ $labels.problem }}"),
             description: try? Template("Notifications routed to it are queued and sent once its file is fixed; "
                                        + "factorwatch check names the problem."),
             channels: healthy)
    }
}

/// Reports each broken channel as `factorwatch_channel_broken{channel, problem} 1`, for the `ChannelBroken` alert.
struct BrokenChannelsCollector: Collector {
    let broken: [BrokenChannel]

    var name: String { "channels" }
    var metricNames: [String] { [BrokenChannel.metric] }

    func collect(_ context: CollectionContext) throws -> [Observation] {
        broken.map { Observation(BrokenChannel.metric, ["channel": $0.name, "problem": $0.reason], 1) }
    }
}

extension Configuration {
    /// Channels whose files could not be used, by name.
    public var brokenChannels: [BrokenChannel] {
        channels.values.compactMap { $0 as? BrokenChannel }.sorted { $0.name < $1.name }
    }
}
