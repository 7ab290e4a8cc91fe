/// The mute stage's decision for one alert: whether something holds its notices back, and what.
public enum MuteDecision: Sendable, Equatable {
    case none
    /// A firing source alert of an `inhibit:` rule holds it back.
    case inhibited(by: AlertKey)
    /// An active silence (or maintenance window) matches it.
    case silenced(Silence)

    /// The silence that holds the alert back, if one does.
    public var silence: Silence? {
        if case .silenced(let silence) = self { return silence }
        return nil
    }

    /// What a channel is told instead of the alert; nil when nothing holds it back.
    var held: NotifyDecision? {
        switch self {
        case .none: nil
        case .inhibited(let source): .inhibited(by: source)
        case .silenced(let silence): .silenced(silence)
        }
    }
}

/// Stage 2, mute: finds what holds an alert's notices back, inhibition first (as Alertmanager), then silences.
/// Muted alerts keep their state; whether a channel honours the mute is the notify stage's call (a channel that
/// mirrors silences sends anyway).
struct MuteStage {
    /// The silences in force now: the stored ones active at this instant and the maintenance windows open now.
    let silences: [Silence]
    var inhibitRules: [InhibitRule] = []
    /// The alerts firing after this evaluation's state stage: the possible sources of inhibition.
    var firing: [AlertKey] = []

    func decide(_ step: AlertStep) -> MuteDecision {
        for rule in inhibitRules {
            if let source = rule.inhibitor(of: step.key, among: firing) { return .inhibited(by: source) }
        }
        return silences.first { $0.matches(step.key) }.map(MuteDecision.silenced) ?? .none
    }
}
