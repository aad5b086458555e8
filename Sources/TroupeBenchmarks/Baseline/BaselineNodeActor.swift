/// One node of the hand-written actor design: an actor of its own, created per instance, whose
/// body is synchronous or awaited inside the actor.
actor BaselineNodeActor {
    /// What the node computes from its input.
    enum Body: Sendable {
        /// Called directly in the actor.
        case synchronous(@Sendable (Int) -> Int)
        /// Awaited in the actor.
        case asynchronous(@Sendable (Int) async -> Int)
    }

    private let body: Body

    init(body: Body) {
        self.body = body
    }

    /// Runs the node's body on `input`.
    func run(_ input: Int) async -> Int {
        switch body {
        case .synchronous(let body): return body(input)
        case .asynchronous(let body): return await body(input)
        }
    }
}
