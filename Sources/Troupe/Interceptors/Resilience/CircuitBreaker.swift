/// The state of a `circuit-breaker`: per key, closed, open or half-open, as in resilience4j.
///
/// Closed, it keeps the outcomes of the last `window` calls and opens once at least
/// `minimumCalls` are recorded and the failed share reaches `failureRate`. Open, it refuses calls
/// until `openFor` has passed, then goes half-open and admits `halfOpenCalls` probes; when all of
/// them have ended, their failure rate reopens or closes it. Each change starts a new generation,
/// and an outcome from a call admitted in an earlier one is dropped: a slow call that began while
/// closed cannot reopen a circuit that has since recovered. Cancelled calls are not outcomes.
final class CircuitBreaker: Sendable {
    /// A circuit's position.
    enum Phase: Sendable, Hashable {
        case closed
        case open(until: Duration)
        case halfOpen

        /// The position's name in events and metrics: `closed`, `open` or `half-open`.
        var name: String {
            switch self {
            case .closed: return "closed"
            case .open: return "open"
            case .halfOpen: return "half-open"
            }
        }
    }

    /// A call let through, to be reported back with ``record(_:failed:)``.
    struct Permit: Sendable {
        let key: String
        fileprivate let generation: UInt64
        /// The change that letting it through made: open to half-open, when its open time was over.
        let transition: Transition?
    }

    /// A circuit's change of position, for events and metrics.
    struct Transition: Sendable, Hashable {
        let key: String
        let from: Phase
        let to: Phase
    }

    /// Why a call was refused: the circuit's key and, when open, the time until probes resume.
    struct Refusal: Error {
        let key: String
        let retryAfter: Duration?
    }

    private struct Circuit {
        var phase = Phase.closed
        var generation: UInt64 = 0
        /// The last `window` outcomes while closed, `true` for a failure, as a ring.
        var outcomes: [Bool] = []
        var next = 0
        var failures = 0
        var probesAdmitted = 0
        var probesEnded = 0
        var probeFailures = 0

        mutating func enter(_ phase: Phase) {
            self = Circuit(phase: phase, generation: generation + 1)
        }
    }

    let settings: CircuitBreakerSettings
    private let timeline: Timeline
    private let circuits = LockedValue<[String: Circuit]>([:])

    init(settings: CircuitBreakerSettings, timeline: Timeline) {
        self.settings = settings
        self.timeline = timeline
    }

    /// The position of the circuit for `key` now.
    func phase(key: String) -> Phase { circuits.withLock { $0[key]?.phase ?? .closed } }

    /// Lets a call through, or refuses it while the circuit is open or its probes are all out.
    func admit(key: String) throws(Refusal) -> Permit {
        let outcome = circuits.withLock { circuits -> Result<Permit, Refusal> in
            var circuit = circuits[key] ?? Circuit()
            defer { circuits[key] = circuit }
            var transition: Transition?
            if case .open(let until) = circuit.phase {
                let now = timeline.now()
                guard now >= until else { return .failure(Refusal(key: key, retryAfter: until - now)) }
                transition = Transition(key: key, from: circuit.phase, to: .halfOpen)
                circuit.enter(.halfOpen)
            }
            if case .halfOpen = circuit.phase {
                guard circuit.probesAdmitted < settings.halfOpenCalls else { return .failure(Refusal(key: key, retryAfter: nil)) }
                circuit.probesAdmitted += 1
            }
            return .success(Permit(key: key, generation: circuit.generation, transition: transition))
        }
        return try outcome.get()
    }

    /// Reports how a permitted call ended: `failed`, or `nil` when it was cancelled; returns the
    /// change of position it caused, if any.
    @discardableResult
    func record(_ permit: Permit, failed: Bool?) -> Transition? {
        circuits.withLock { circuits in
            guard var circuit = circuits[permit.key], circuit.generation == permit.generation else { return nil }
            defer { circuits[permit.key] = circuit }
            let before = circuit.phase
            switch circuit.phase {
            case .closed:
                guard let failed else { return nil }
                recordClosed(failed, in: &circuit)
            case .halfOpen:
                guard let failed else {
                    circuit.probesAdmitted -= 1
                    return nil
                }
                circuit.probesEnded += 1
                if failed { circuit.probeFailures += 1 }
                guard circuit.probesEnded == settings.halfOpenCalls else { return nil }
                let rate = Double(circuit.probeFailures) * 100 / Double(settings.halfOpenCalls)
                circuit.enter(rate >= settings.failureRate ? .open(until: timeline.now() + settings.openFor) : .closed)
            case .open:
                return nil
            }
            return circuit.phase == before ? nil : Transition(key: permit.key, from: before, to: circuit.phase)
        }
    }

    private func recordClosed(_ failed: Bool, in circuit: inout Circuit) {
        if circuit.outcomes.count < settings.window {
            circuit.outcomes.append(failed)
        } else {
            if circuit.outcomes[circuit.next] { circuit.failures -= 1 }
            circuit.outcomes[circuit.next] = failed
            circuit.next = (circuit.next + 1) % settings.window
        }
        if failed { circuit.failures += 1 }
        guard circuit.outcomes.count >= settings.minimumCalls else { return }
        let rate = Double(circuit.failures) * 100 / Double(circuit.outcomes.count)
        if rate >= settings.failureRate { circuit.enter(.open(until: timeline.now() + settings.openFor)) }
    }
}
