import Foundation
import Testing
import Troupe
import TroupeTesting

/// SplitMix64: a small, seedable generator, so that a failing stack can be run again from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The rules, simulated plainly: what a stack of layers must record and answer.
///
/// Adjacent legacy layers (sync or async) form one stack, as the runtime merges them; a new-style
/// interceptor is a stack of its own and nests. Within a stack: request hooks run outermost first;
/// the inner part runs only if none short-circuited; a short-circuit skips the inner layers, but its
/// own response hook and the outer ones run. An error from the inner part goes to the error hook of
/// each entered layer, innermost first, until one recovers; the recovered response then goes out
/// through the response hook of every entered layer (Django's rule). A hook that throws ends its
/// stack at once with a LegacyHookError naming the layer and the hook: no hook of that stack sees
/// it, while for an outer stack it is an error from inside like any other.
enum LegacyReferenceModel {
    enum Outcome {
        case output(String)
        case failure(String)
    }

    static func expected(_ layers: [LayerBehaviour], handlerFails: Bool) -> StackObservation {
        expected(layers.map { ($0, LayerStyle.legacy) }, handlerFails: handlerFails)
    }

    static func expected(_ layers: [(LayerBehaviour, LayerStyle)], handlerFails: Bool) -> StackObservation {
        var trace: [String] = []
        var path: [String] = []
        var stacks: [[LayerBehaviour]] = []
        var previousWasLegacy = false
        for (layer, style) in layers {
            let legacy = style != .interceptor
            if legacy && previousWasLegacy { stacks[stacks.count - 1].append(layer) } else { stacks.append([layer]) }
            previousWasLegacy = legacy
        }

        func inner(_ index: Int) -> Outcome {
            guard index < stacks.count else {
                let entry = "handler[\(path.joined(separator: ","))]"
                trace.append(entry)
                return handlerFails ? .failure("Boom: handler failed") : .output(entry)
            }
            let stack = stacks[index]
            var entered = 0
            var response: String?
            for layer in stack where response == nil {
                trace.append("\(layer.name).request")
                if layer.throwsIn == .request { return .failure(LegacyStacks.hookError(layer.name, .request)) }
                path.append(layer.name)
                entered += 1
                if layer.shortCircuits { response = "\(layer.name).short" }
            }
            if response == nil {
                switch inner(index + 1) {
                case .output(let output):
                    response = output
                case .failure(let error):
                    for layer in stack.prefix(entered).reversed() where response == nil {
                        trace.append("\(layer.name).error[\(error)]")
                        if layer.throwsIn == .error { return .failure(LegacyStacks.hookError(layer.name, .error)) }
                        if layer.recovers { response = "\(layer.name).recovered" }
                    }
                    guard response != nil else { return .failure(error) }
                }
            }
            var output = response ?? ""
            for layer in stack.prefix(entered).reversed() {
                trace.append("\(layer.name).response")
                if layer.throwsIn == .response { return .failure(LegacyStacks.hookError(layer.name, .response)) }
                output = "\(layer.name)(\(output))"
            }
            return .output(output)
        }

        switch inner(0) {
        case .output(let output): return StackObservation(status: .completed, output: .string(output), error: nil, trace: trace)
        case .failure(let error): return StackObservation(status: .failed, output: nil, error: error, trace: trace)
        }
    }
}

@Suite("Legacy middleware: random stacks against the reference model", .timeLimit(.minutes(2)))
struct LegacyPropertyTests {
    /// Override with `LEGACY_PROPERTY_SEED=<n>` to replay a failure; each stack's own seed is printed when it fails.
    static let baseSeed: UInt64 = ProcessInfo.processInfo.environment["LEGACY_PROPERTY_SEED"].flatMap { UInt64($0) } ?? 0x7E0_0BE5_2025

    /// A random stack of 1–6 layers in random styles, with random short-circuits, recoveries and hook errors.
    static func randomStack(seed: UInt64) -> (layers: [(LayerBehaviour, LayerStyle)], handlerFails: Bool, asyncHandler: Bool) {
        var random = SplitMix64(seed: seed)
        let count = Int.random(in: 1...6, using: &random)
        let layers = (0..<count).map { index -> (LayerBehaviour, LayerStyle) in
            var layer = LayerBehaviour("m\(index)")
            layer.shortCircuits = Int.random(in: 0..<100, using: &random) < 15
            layer.recovers = Int.random(in: 0..<100, using: &random) < 30
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<8: layer.throwsIn = .request
            case 8..<16: layer.throwsIn = .response
            case 16..<26: layer.throwsIn = .error
            default: layer.throwsIn = nil
            }
            return (layer, LayerStyle.allCases.randomElement(using: &random)!)
        }
        return (layers, Bool.random(using: &random), Bool.random(using: &random))
    }

    @Test("500 random mixed stacks run through the runtime record the trace and give the result the rules predict")
    func randomStacks() async throws {
        var shapes: Set<String> = []
        for offset in 0..<500 {
            let seed = Self.baseSeed &+ UInt64(offset)
            let stack = Self.randomStack(seed: seed)
            let observed = try await LegacyStacks.run(stack.layers, handlerFails: stack.handlerFails, asyncHandler: stack.asyncHandler)
            let expected = LegacyReferenceModel.expected(stack.layers, handlerFails: stack.handlerFails)
            let described = stack.layers.map { "\($0.0)/\($0.1.rawValue)" }.joined(separator: " ")
            #expect(
                observed == expected,
                """
                seed \(seed) (LEGACY_PROPERTY_SEED=\(Self.baseSeed), offset \(offset)): [\(described)] handlerFails=\(stack.handlerFails)
                observed: \(observed)
                expected: \(expected)
                """)
            if observed != expected { return }
            shapes.insert("\(expected.status) \(expected.trace.contains { $0.hasPrefix("handler") }) \(expected.trace.contains { $0.contains(".error[") })")
        }
        // The random stacks reached every kind of outcome: completed and failed, with and without the handler and error hooks.
        #expect(shapes.count >= 6, "\(shapes)")
    }

    @Test("200 more random stacks, composed directly from LegacyMiddlewareInterceptor (sync and async) without the runtime, agree with the model")
    func directComposition() async throws {
        /// The handler at the bottom of a directly composed stack.
        struct Handler: NodeHandler {
            let fails: Bool
            let trace: TraceLog
            func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
                let entry = "handler[\(call.metadata["path"] ?? "")]"
                trace.record(entry)
                if fails { throw LegacyStacks.handlerFailure }
                return .string(entry)
            }
        }
        /// One link of a directly composed stack.
        struct Link: NodeHandler {
            let interceptor: any NodeInterceptor
            let next: any NodeHandler
            func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
                try await interceptor.intercept(call, context: context, next: next)
            }
        }
        let call = NodeCall(instanceID: InstanceID(rawValue: 1), workflowID: "w", nodeID: "node", kind: "work")
        for offset in 0..<200 {
            let seed = Self.baseSeed &+ 1_000_000 &+ UInt64(offset)
            let stack = Self.randomStack(seed: seed)
            let expected = LegacyReferenceModel.expected(stack.layers.map(\.0), handlerFails: stack.handlerFails)
            for style in [LayerStyle.legacy, .asyncLegacy] {
                let trace = TraceLog()
                // One adapter for the whole stack, as the runtime composes adjacent legacy middleware.
                let layers = stack.layers.map { layer, _ in
                    guard let adapter = layer.interceptor(style, trace: trace) as? LegacyMiddlewareInterceptor else { preconditionFailure("a legacy style") }
                    return adapter.layers[0]
                }
                let handler = Link(interceptor: LegacyMiddlewareInterceptor(layers: layers), next: Handler(fails: stack.handlerFails, trace: trace))
                var observed = StackObservation(status: .completed, output: nil, error: nil, trace: [])
                do {
                    observed.output = try await handler.handle(call, context: RecordingNodeContext())
                } catch {
                    observed.status = .failed
                    observed.error = "\(error)"
                    if let hookError = error as? LegacyHookError {
                        // Named by middleware and hook, not only in its description.
                        #expect(
                            expected.error == LegacyStacks.hookError(hookError.middleware, LayerHook.allCases.first { $0.legacy == hookError.hook }!),
                            "seed \(seed)")
                    } else {
                        #expect(error as? ExecutionError == LegacyStacks.handlerFailure, "seed \(seed): \(error)")
                    }
                }
                observed.trace = trace.recorded
                #expect(observed == expected, "seed \(seed), \(style): \(stack.layers.map(\.0))\nobserved: \(observed)\nexpected: \(expected)")
                if observed != expected { return }
            }
        }
    }

    @Test("the reference model itself: a hand-worked stack")
    func modelSanity() {
        // m0 recovers, m1 passes, m2 throws in its response hook after the handler ran: in one stack
        // the hook error goes straight out; with m1 a new-style interceptor, m0 is a stack of its own
        // and recovers what comes out of the inner part.
        let layers = [LayerBehaviour("m0", recovers: true), LayerBehaviour("m1"), LayerBehaviour("m2", throwsIn: .response)]
        let error = "legacy middleware m2 threw in processResponse: HookFailure: m2.response"
        let oneStack = LegacyReferenceModel.expected(layers, handlerFails: false)
        #expect(oneStack.trace == ["m0.request", "m1.request", "m2.request", "handler[m0,m1,m2]", "m2.response"])
        #expect(oneStack.error == error)
        let split = LegacyReferenceModel.expected([(layers[0], .legacy), (layers[1], .interceptor), (layers[2], .legacy)], handlerFails: false)
        #expect(
            split.trace == [
                "m0.request", "m1.request", "m2.request", "handler[m0,m1,m2]", "m2.response",
                "m1.error[\(error)]", "m0.error[\(error)]", "m0.response",
            ])
        #expect(split.output == "m0(m0.recovered)")
        // Django's rule: a recovered response passes every entered layer's response hook.
        let recovered = LegacyReferenceModel.expected([LayerBehaviour("m0"), LayerBehaviour("m1", recovers: true), LayerBehaviour("m2")], handlerFails: true)
        #expect(recovered.output == "m0(m1(m2(m1.recovered)))")
    }
}
