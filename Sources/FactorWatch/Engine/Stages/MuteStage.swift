/// The mute stage's decision for one alert: whether something holds its notices back, and what.
public enum MuteDecision: Sendable, Equatable {
    case none
    /// An active silence (or maintenance window) matches it.
    case silenced(Silence)

    /// The silence that holds the alert back, if one does.
    public var silence: Silence? {
        if case .silenced(let silence) = self { return silence }
        return nil
    }
}

/// Stage 2, mute: finds what holds an alert's notices back. Muted alerts keep their state; whether a channel
/// honours the mute is the notify stage's call (a channel that mirrors silences sends anyway).
struct MuteStage {
    /// The silences in force now: the stored ones active at this instant and the maintenance windows open now.
    let silences: [Silence]

    func decide(_ step: AlertStep) -> MuteDecision {
        silences.first { $0.matches(step.key) }.map(MuteDecision.silenced) ?? .none
    }
}
