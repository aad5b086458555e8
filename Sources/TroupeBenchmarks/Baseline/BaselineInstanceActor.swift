/// Troupe's design written by hand with nothing else: one actor per instance that calls one actor
/// per node, all created for the instance, the nodes in sequence.
actor BaselineInstanceActor {
    private let nodes: [BaselineNodeActor]

    init(length: Int, body: BaselineNodeActor.Body) {
        nodes = (0..<length).map { _ in BaselineNodeActor(body: body) }
    }

    /// Runs the chain on `input`.
    func run(input: Int) async -> Int {
        var value = input
        for node in nodes { value = await node.run(value) }
        return value
    }

    /// Runs one chain instance: creates the instance actor and its node actors, then runs them.
    static func runChain(input: Int, length: Int, body: BaselineNodeActor.Body) async -> Int {
        await BaselineInstanceActor(length: length, body: body).run(input: input)
    }
}
