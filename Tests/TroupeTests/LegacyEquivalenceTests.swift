import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

// MARK: - One test layer, written in every style

/// A hook of a test layer, as it is named in traces.
enum LayerHook: String, Sendable, Hashable, CaseIterable {
    case request, response, error

    /// The legacy hook that this is.
    var legacy: LegacyHookError.Hook {
        switch self {
        case .request: .processRequest
        case .response: .processResponse
        case .error: .processError
        }
    }
}

/// What one layer of a test stack does. Every style of layer made from it records the same trace:
/// `NAME.request` on the way in, `NAME.error[ERROR]` when an error comes out of the inner layers,
/// `NAME.response` on the way out; it appends its name to the `path` header on the way in, and
/// wraps the output it returns as `NAME(INNER)`.
struct LayerBehaviour: Sendable, Hashable, CustomStringConvertible {
    var name: String
    /// Its request hook answers `NAME.short`.
    var shortCircuits = false
    /// Its error hook answers `NAME.recovered`.
    var recovers = false
    /// The hook that throws `HookFailure: NAME.HOOK` (after recording its trace entry).
    var throwsIn: LayerHook? = nil

    init(_ name: String, shortCircuits: Bool = false, recovers: Bool = false, throwsIn: LayerHook? = nil) {
        self.name = name
        self.shortCircuits = shortCircuits
        self.recovers = recovers
        self.throwsIn = throwsIn
    }

    var description: String {
        name + (shortCircuits ? "+short" : "") + (recovers ? "+recover" : "") + (throwsIn.map { "+throws-in-\($0.rawValue)" } ?? "")
    }

    /// What the layer's hook throws.
    func failure(in hook: LayerHook) -> ExecutionError {
        ExecutionError(type: "HookFailure", message: "\(name).\(hook.rawValue)")
    }

    /// The `path` header after this layer's request hook.
    func stamped(_ path: String?) -> String { path.map { "\($0),\(name)" } ?? name }

    /// The output this layer's response hook returns for `inner`.
    func wrapped(_ inner: JSONValue) -> JSONValue { .string("\(name)(\(inner.stringValue ?? "\(inner)"))") }
}

/// The style a test layer is written in.
enum LayerStyle: String, Sendable, CaseIterable {
    /// ``LegacyMiddleware``, registered with `register(legacyMiddleware:)`.
    case legacy
    /// ``AsyncLegacyMiddleware``, registered with `register(legacyMiddleware:)`.
    case asyncLegacy
    /// A ``NodeInterceptor`` doing the same around `next`, registered with `register(interceptor:)`.
    case interceptor
}

/// An ordered record of trace entries that can be taken and cleared.
final class TraceLog: Sendable {
    private let entries = LockedValue<[String]>([])
    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var recorded: [String] { entries.withLock { $0 } }
}

/// The layer as synchronous legacy middleware.
struct TracingMiddleware: LegacyMiddleware {
    let behaviour: LayerBehaviour
    let trace: TraceLog

    func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse? {
        trace.record("\(behaviour.name).request")
        if behaviour.throwsIn == .request { throw behaviour.failure(in: .request) }
        request.metadata["path"] = behaviour.stamped(request.metadata["path"])
        return behaviour.shortCircuits ? LegacyResponse(output: .string("\(behaviour.name).short")) : nil
    }

    func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse {
        trace.record("\(behaviour.name).response")
        if behaviour.throwsIn == .response { throw behaviour.failure(in: .response) }
        return LegacyResponse(output: behaviour.wrapped(response.output))
    }

    func processError(_ request: LegacyRequest, _ error: any Error) throws -> LegacyResponse? {
        trace.record("\(behaviour.name).error[\(error)]")
        if behaviour.throwsIn == .error { throw behaviour.failure(in: .error) }
        return behaviour.recovers ? LegacyResponse(output: .string("\(behaviour.name).recovered")) : nil
    }
}

/// The layer as asynchronous legacy middleware, suspending in every hook.
struct AsyncTracingMiddleware: AsyncLegacyMiddleware {
    let behaviour: LayerBehaviour
    let trace: TraceLog

    func processRequest(_ request: inout LegacyRequest) async throws -> LegacyResponse? {
        await Task.yield()
        trace.record("\(behaviour.name).request")
        if behaviour.throwsIn == .request { throw behaviour.failure(in: .request) }
        request.metadata["path"] = behaviour.stamped(request.metadata["path"])
        return behaviour.shortCircuits ? LegacyResponse(output: .string("\(behaviour.name).short")) : nil
    }

    func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) async throws -> LegacyResponse {
        await Task.yield()
        trace.record("\(behaviour.name).response")
        if behaviour.throwsIn == .response { throw behaviour.failure(in: .response) }
        return LegacyResponse(output: behaviour.wrapped(response.output))
    }

    func processError(_ request: LegacyRequest, _ error: any Error) async throws -> LegacyResponse? {
        await Task.yield()
        trace.record("\(behaviour.name).error[\(error)]")
        if behaviour.throwsIn == .error { throw behaviour.failure(in: .error) }
        return behaviour.recovers ? LegacyResponse(output: .string("\(behaviour.name).recovered")) : nil
    }
}

/// The layer as a new-style interceptor: the same behaviour written around `next`, throwing
/// ``LegacyHookError`` itself where the legacy layer's hook would throw.
struct TracingInterceptor: NodeInterceptor {
    let behaviour: LayerBehaviour
    let trace: TraceLog

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let name = behaviour.name
        trace.record("\(name).request")
        if behaviour.throwsIn == .request { throw LegacyHookError(middleware: name, hook: .processRequest, underlying: behaviour.failure(in: .request)) }
        var call = call
        call.metadata["path"] = behaviour.stamped(call.metadata["path"])
        let inner: JSONValue
        if behaviour.shortCircuits {
            inner = .string("\(name).short")
        } else {
            do {
                inner = try await next.handle(call, context: context)
            } catch {
                trace.record("\(name).error[\(error)]")
                if behaviour.throwsIn == .error { throw LegacyHookError(middleware: name, hook: .processError, underlying: behaviour.failure(in: .error)) }
                guard behaviour.recovers else { throw error }
                inner = .string("\(name).recovered")
            }
        }
        trace.record("\(name).response")
        if behaviour.throwsIn == .response { throw LegacyHookError(middleware: name, hook: .processResponse, underlying: behaviour.failure(in: .response)) }
        return behaviour.wrapped(inner)
    }
}

extension LayerBehaviour {
    /// This layer in `style`, as the node interceptor the registry would make of it.
    func interceptor(_ style: LayerStyle, trace: TraceLog) -> any NodeInterceptor {
        switch style {
        case .legacy: LegacyMiddlewareInterceptor(name: name, middleware: .synchronous(TracingMiddleware(behaviour: self, trace: trace)))
        case .asyncLegacy: LegacyMiddlewareInterceptor(name: name, middleware: .asynchronous(AsyncTracingMiddleware(behaviour: self, trace: trace)))
        case .interceptor: TracingInterceptor(behaviour: self, trace: trace)
        }
    }

    /// Registers this layer under its name, in `style`.
    func register(_ style: LayerStyle, in registry: Registry, trace: TraceLog) throws {
        switch style {
        case .legacy:
            try registry.register(legacyMiddleware: name) { _ in .synchronous(TracingMiddleware(behaviour: self, trace: trace)) }
        case .asyncLegacy:
            try registry.register(legacyMiddleware: name) { _ in .asynchronous(AsyncTracingMiddleware(behaviour: self, trace: trace)) }
        case .interceptor:
            try registry.register(interceptor: name) { _ in TracingInterceptor(behaviour: self, trace: trace) }
        }
    }
}

// MARK: - Running a stack

/// What a run of a stack showed: the node's status, output and error, and the trace.
struct StackObservation: Sendable, Equatable, CustomStringConvertible {
    var status: NodeStatus
    var output: JSONValue?
    var error: String?
    var trace: [String]

    var description: String {
        "\(status) output=\(output.map { "\($0)" } ?? "nil") error=\(error ?? "nil")\n  trace=\(trace)"
    }
}

enum LegacyStacks {
    /// The handler's error.
    static let handlerFailure = ExecutionError(type: "Boom", message: "handler failed")

    /// Runs one node whose interceptors are `layers` (outermost first, each registered by name in its
    /// style) through a fresh runtime; its executor records `handler[PATH]`, then fails or returns that.
    static func run(_ layers: [(LayerBehaviour, LayerStyle)], handlerFails: Bool, asyncHandler: Bool = false) async throws -> StackObservation {
        let runtime = WorkflowRuntime()
        let trace = TraceLog()
        let handle: @Sendable (NodeCall) throws -> JSONValue = { call in
            let entry = "handler[\(call.metadata["path"] ?? "")]"
            trace.record(entry)
            if call.config["fail"] == true { throw handlerFailure }
            return .string(entry)
        }
        if asyncHandler {
            try runtime.register(kind: "work") { (call: NodeCall) async throws -> JSONValue in
                await Task.yield()
                return try handle(call)
            }
        } else {
            try runtime.register(kind: "work", handle)
        }
        for (layer, style) in layers { try layer.register(style, in: runtime.registry, trace: trace) }
        let definition = WorkflowDefinition(
            id: "stack",
            nodes: [
                NodeDefinition("node", kind: "work", config: ["fail": .bool(handlerFails)], interceptors: layers.map { InterceptorReference($0.0.name) })
            ])
        let result = try await runtime.start(definition).result
        let report = try #require(result.nodes["node"])
        return StackObservation(status: report.status, output: report.output, error: report.error, trace: trace.recorded)
    }

    /// Runs `layers` all in one style.
    static func run(_ layers: [LayerBehaviour], _ style: LayerStyle, handlerFails: Bool) async throws -> StackObservation {
        try await run(layers.map { ($0, style) }, handlerFails: handlerFails)
    }

    /// The description of the error a legacy hook throws, as the node reports it.
    static func hookError(_ layer: String, _ hook: LayerHook) -> String {
        "legacy middleware \(layer) threw in \(hook.legacy.rawValue): HookFailure: \(layer).\(hook.rawValue)"
    }
}

// MARK: - Equivalence

/// One stack and whether its handler fails.
struct StackCase: Sendable, CustomTestStringConvertible {
    var label: String
    var layers: [LayerBehaviour]
    var handlerFails: Bool
    /// Whether nested new-style interceptors give the same answer: they do not where Django's rules
    /// reach past nesting (a recovered response passing inner response hooks, a hook error that no
    /// outer hook may see).
    var nestingAgrees = true

    var testDescription: String { label }

    /// Every case of a four-layer stack: pass-through, a short-circuit at each position, a handler
    /// error recovered at each position (and by none), an error thrown in each hook at each position.
    static let all: [StackCase] = {
        let names = ["m0", "m1", "m2", "m3"]
        let plain = names.map { LayerBehaviour($0) }
        func with(_ position: Int, _ change: (inout LayerBehaviour) -> Void) -> [LayerBehaviour] {
            var layers = plain
            change(&layers[position])
            return layers
        }
        var cases = [
            StackCase(label: "pass-through", layers: plain, handlerFails: false),
            StackCase(label: "handler error, nobody recovers", layers: plain, handlerFails: true),
        ]
        for position in names.indices {
            cases.append(StackCase(label: "short-circuit at \(position)", layers: with(position) { $0.shortCircuits = true }, handlerFails: false))
            cases.append(
                StackCase(label: "short-circuit at \(position), handler would fail", layers: with(position) { $0.shortCircuits = true }, handlerFails: true))
            cases.append(
                StackCase(
                    label: "handler error recovered at \(position)", layers: with(position) { $0.recovers = true }, handlerFails: true,
                    nestingAgrees: position == names.count - 1))
            for hook in LayerHook.allCases {
                cases.append(
                    StackCase(
                        label: "\(hook) hook throws at \(position)", layers: with(position) { $0.throwsIn = hook }, handlerFails: hook == .error,
                        nestingAgrees: position == 0))
            }
            if position > 0 {
                // A hook error goes straight out: an outer layer that would recover never sees it.
                var layers = with(position) { $0.throwsIn = .response }
                layers[position - 1].recovers = true
                cases.append(
                    StackCase(label: "response hook throws at \(position), recovery outside it", layers: layers, handlerFails: false, nestingAgrees: false))
                layers = with(position) { $0.throwsIn = .error }
                layers[0].recovers = true
                cases.append(StackCase(label: "error hook throws at \(position), recovery at 0", layers: layers, handlerFails: true, nestingAgrees: false))
            }
        }
        return cases
    }()
}

@Suite("Legacy middleware: equivalence with new-style interceptors", .timeLimit(.minutes(2)))
struct LegacyEquivalenceTests {
    @Test(
        "a stack of legacy middleware (sync and async) follows the rules, and where nesting can express them, behaves as the same stack of interceptors",
        arguments: StackCase.all)
    func equivalence(_ stack: StackCase) async throws {
        let expected = LegacyReferenceModel.expected(stack.layers, handlerFails: stack.handlerFails)
        let modern = try await LegacyStacks.run(stack.layers, .interceptor, handlerFails: stack.handlerFails)
        let legacy = try await LegacyStacks.run(stack.layers, .legacy, handlerFails: stack.handlerFails)
        let asyncLegacy = try await LegacyStacks.run(stack.layers, .asyncLegacy, handlerFails: stack.handlerFails)
        #expect(legacy == expected, "\(stack.label): legacy\n\(legacy)\nexpected\n\(expected)")
        #expect(asyncLegacy == expected, "\(stack.label): async legacy\n\(asyncLegacy)\nexpected\n\(expected)")
        if stack.nestingAgrees {
            #expect(legacy == modern, "\(stack.label): legacy\n\(legacy)\nnew-style\n\(modern)")
        } else {
            #expect(legacy != modern, "\(stack.label): the case is marked as one nesting cannot express, but it does")
        }
        #expect(!modern.trace.isEmpty)
    }

    @Test("pass-through: request hooks outermost first, the handler, response hooks innermost first")
    func passThrough() async throws {
        let observed = try await LegacyStacks.run(["a", "b", "c"].map { LayerBehaviour($0) }, .legacy, handlerFails: false)
        #expect(observed.trace == ["a.request", "b.request", "c.request", "handler[a,b,c]", "c.response", "b.response", "a.response"])
        #expect(observed.status == .completed)
        #expect(observed.output == "a(b(c(handler[a,b,c])))")
    }

    @Test("a short-circuit skips the inner layers and the handler; its own and the outer response hooks still run")
    func shortCircuit() async throws {
        let layers = [LayerBehaviour("a"), LayerBehaviour("b", shortCircuits: true), LayerBehaviour("c")]
        let observed = try await LegacyStacks.run(layers, .legacy, handlerFails: true)
        #expect(observed.trace == ["a.request", "b.request", "b.response", "a.response"])
        #expect(observed.status == .completed)
        #expect(observed.output == "a(b(b.short))")
    }

    @Test("a handler error goes to the error hooks innermost first; the recovered response goes out through every entered layer, as in Django")
    func recovery() async throws {
        let layers = [LayerBehaviour("a"), LayerBehaviour("b", recovers: true), LayerBehaviour("c")]
        let observed = try await LegacyStacks.run(layers, .legacy, handlerFails: true)
        #expect(
            observed.trace == [
                "a.request", "b.request", "c.request", "handler[a,b,c]",
                "c.error[Boom: handler failed]", "b.error[Boom: handler failed]", "c.response", "b.response", "a.response",
            ])
        #expect(observed.output == "a(b(c(b.recovered)))")

        let unrecovered = try await LegacyStacks.run(["a", "b"].map { LayerBehaviour($0) }, .legacy, handlerFails: true)
        #expect(unrecovered.status == .failed)
        #expect(unrecovered.error == "Boom: handler failed")
        #expect(unrecovered.trace.suffix(2) == ["b.error[Boom: handler failed]", "a.error[Boom: handler failed]"])
    }

    @Test("an error thrown in a hook fails the node at once with a LegacyHookError naming the middleware and the hook")
    func hookErrors() async throws {
        for hook in LayerHook.allCases {
            let layers = [LayerBehaviour("a", recovers: true), LayerBehaviour("b", throwsIn: hook), LayerBehaviour("c")]
            let observed = try await LegacyStacks.run(layers, .legacy, handlerFails: hook == .error)
            #expect(observed.status == .failed)
            #expect(observed.error == LegacyStacks.hookError("b", hook), "\(hook)")
            #expect(observed.trace.last == "b.\(hook.rawValue)" || observed.trace.last?.hasPrefix("b.error") == true, "\(hook): \(observed.trace)")
            #expect(!observed.trace.contains { $0.hasPrefix("a.error") || $0 == "a.response" }, "\(hook): no outer hook sees it: \(observed.trace)")
        }
        // Thrown as such, not only described so.
        let adapter = LegacyMiddlewareInterceptor(
            name: "b", middleware: .synchronous(TracingMiddleware(behaviour: LayerBehaviour("x", throwsIn: .request), trace: TraceLog())))
        let call = NodeCall(instanceID: InstanceID(rawValue: 1), workflowID: "w", nodeID: "n", kind: "work")
        await #expect {
            _ = try await adapter.intercept(call, context: RecordingNodeContext(), next: Echo())
        } throws: { error in
            guard let error = error as? LegacyHookError else { return false }
            return error.middleware == "b" && error.hook == .processRequest && (error.underlying as? ExecutionError)?.message == "x.request"
        }
    }

    /// A handler that returns its node id.
    struct Echo: NodeHandler {
        func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue { .string(call.nodeID) }
    }

    @Test("async legacy middleware suspends in its hooks and follows the same rules")
    func asyncMiddleware() async throws {
        let layers = [LayerBehaviour("a"), LayerBehaviour("b", recovers: true), LayerBehaviour("c", shortCircuits: true)]
        let shorted = try await LegacyStacks.run(layers, .asyncLegacy, handlerFails: true)
        #expect(shorted.trace == ["a.request", "b.request", "c.request", "c.response", "b.response", "a.response"])
        #expect(shorted.output == "a(b(c(c.short)))")

        let recovered = try await LegacyStacks.run(Array(layers.prefix(2)), .asyncLegacy, handlerFails: true)
        #expect(recovered.trace == ["a.request", "b.request", "handler[a,b]", "b.error[Boom: handler failed]", "b.response", "a.response"])
        #expect(recovered.output == "a(b(b.recovered))")

        let thrown = try await LegacyStacks.run([LayerBehaviour("a"), LayerBehaviour("b", throwsIn: .response)], .asyncLegacy, handlerFails: false)
        #expect(thrown.error == LegacyStacks.hookError("b", .response))
    }
}

// MARK: - Mixed stacks, metadata and input

@Suite("Legacy middleware: mixed with interceptors, metadata and input", .timeLimit(.minutes(2)))
struct LegacyMixingTests {
    @Test("legacy middleware and interceptors interleave in declared order, at runtime, workflow and node level")
    func declaredOrder() async throws {
        let runtime = WorkflowRuntime()
        let trace = TraceLog()
        try runtime.register(kind: "work") { call in
            trace.record("handler[\(call.metadata["path"] ?? "")]")
            return "done"
        }
        runtime.use(LayerBehaviour("r0").interceptor(.legacy, trace: trace))
        runtime.use(LayerBehaviour("r1").interceptor(.interceptor, trace: trace))
        let declared: [(String, LayerStyle)] = [
            ("w0", .interceptor), ("w1", .asyncLegacy), ("n0", .legacy), ("n1", .interceptor), ("n2", .asyncLegacy), ("n3", .legacy),
        ]
        for (name, style) in declared { try LayerBehaviour(name).register(style, in: runtime.registry, trace: trace) }
        let definition = WorkflowDefinition(
            id: "mixed", nodes: [NodeDefinition("node", kind: "work", interceptors: ["n0", "n1", "n2", "n3"])], interceptors: ["w0", "w1"])
        let result = try await runtime.start(definition).result
        let names = ["r0", "r1", "w0", "w1", "n0", "n1", "n2", "n3"]
        #expect(trace.recorded == names.map { "\($0).request" } + ["handler[\(names.joined(separator: ","))]"] + names.reversed().map { "\($0).response" })
        #expect(result.nodes["node"]?.output == .string(names.reversed().reduce("done") { "\($1)(\($0))" }))
    }

    @Test("short-circuits and recoveries cross style boundaries: each side sees the other's answer")
    func acrossStyles() async throws {
        let shortInside = try await LegacyStacks.run(
            [(LayerBehaviour("a"), .legacy), (LayerBehaviour("b", shortCircuits: true), .interceptor), (LayerBehaviour("c"), .legacy)], handlerFails: false)
        #expect(shortInside.trace == ["a.request", "b.request", "b.response", "a.response"])
        #expect(shortInside.output == "a(b(b.short))")

        let recoveredOutside = try await LegacyStacks.run(
            [(LayerBehaviour("a", recovers: true), .interceptor), (LayerBehaviour("b"), .asyncLegacy), (LayerBehaviour("c", throwsIn: .response), .legacy)],
            handlerFails: false)
        let error = LegacyStacks.hookError("c", .response)
        // b and c are one legacy stack: c's hook error leaves it at once, unseen by b, and reaches a as an error from inside.
        #expect(recoveredOutside.trace == ["a.request", "b.request", "c.request", "handler[a,b,c]", "c.response", "a.error[\(error)]", "a.response"])
        #expect(recoveredOutside.output == "a(a.recovered)")
    }

    /// Stamps a tenant header and rewrites the input on the way in; records what its later hooks see of the request.
    struct Stamp: LegacyMiddleware {
        let trace: TraceLog
        func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse? {
            request.metadata["x-tenant"] = "acme"
            request.input = ["rewritten": request.input]
            return nil
        }
        func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse {
            trace.record("stamp.response sees tenant \(request.metadata["x-tenant"] ?? "none"), input \(request.input)")
            return response
        }
        func processError(_ request: LegacyRequest, _ error: any Error) throws -> LegacyResponse? {
            trace.record("stamp.error sees tenant \(request.metadata["x-tenant"] ?? "none")")
            return nil
        }
    }

    /// Records the tenant header and input it is called with.
    struct Peek: NodeInterceptor {
        let label: String
        let trace: TraceLog
        func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
            trace.record("\(label) sees tenant \(call.metadata["x-tenant"] ?? "none"), request \(call.metadata["x-request"] ?? "none"), input \(call.input)")
            return try await next.handle(call, context: context)
        }
    }

    @Test("metadata and input changed by a request hook reach inner interceptors and the executor, not outer ones nor other nodes")
    func metadataAndInput() async throws {
        let runtime = WorkflowRuntime()
        let trace = TraceLog()
        try runtime.register(kind: "work") { call in
            trace.record(
                "executor \(call.nodeID) sees tenant \(call.metadata["x-tenant"] ?? "none"), request \(call.metadata["x-request"] ?? "none"), input \(call.input)"
            )
            if call.nodeID == "fails" { throw ExecutionError(type: "Boom", message: "no") }
            return ["tenant": .string(call.metadata["x-tenant"] ?? "none"), "input": call.input]
        }
        try runtime.registry.register(legacyMiddleware: "stamp") { _ in .synchronous(Stamp(trace: trace)) }
        try runtime.registry.register(interceptor: "outer") { _ in Peek(label: "outer", trace: trace) }
        try runtime.registry.register(interceptor: "inner") { _ in Peek(label: "inner", trace: trace) }
        let definition = WorkflowDefinition(
            id: "meta",
            nodes: [
                NodeDefinition("stamped", kind: "work", interceptors: ["outer", "stamp", "inner"]),
                NodeDefinition("plain", kind: "work"),
            ],
            edges: [EdgeDefinition(from: "stamped", to: "plain")])
        let result = try await runtime.start(definition, input: 7, metadata: ["x-request": "r1"]).result
        #expect(result.status == .completed)
        #expect(result.nodes["stamped"]?.output == ["tenant": "acme", "input": ["rewritten": 7]])
        #expect(result.nodes["plain"]?.output == ["tenant": "none", "input": 7])
        #expect(
            trace.recorded == [
                "outer sees tenant none, request r1, input 7",
                "inner sees tenant acme, request r1, input {\"rewritten\":7}",
                "executor stamped sees tenant acme, request r1, input {\"rewritten\":7}",
                "stamp.response sees tenant acme, input {\"rewritten\":7}",
                "executor plain sees tenant none, request r1, input 7",
            ])

        let failing = WorkflowDefinition(id: "meta-fail", nodes: [NodeDefinition("fails", kind: "work", interceptors: ["stamp"])])
        let failed = try await runtime.start(failing).result
        #expect(failed.nodes["fails"]?.error == "Boom: no")
        #expect(trace.recorded.last == "stamp.error sees tenant acme")
    }
}

// MARK: - Response headers

@Suite("Legacy middleware: response headers", .timeLimit(.minutes(2)))
struct LegacyResponseHeaderTests {
    /// Stamps a response header on the way out, or answers with one when it short-circuits.
    struct Header: LegacyMiddleware {
        let name: String
        let shortCircuits: Bool
        func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse? {
            shortCircuits ? LegacyResponse(output: "denied", metadata: ["status": "401"]) : nil
        }
        func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse {
            var response = response
            response.metadata["x-\(name)"] = "1"
            return response
        }
    }

    /// Puts the response headers it is given into the output.
    struct Reveal: LegacyMiddleware {
        func processResponse(_ request: LegacyRequest, _ response: LegacyResponse) throws -> LegacyResponse {
            LegacyResponse(output: ["inner": response.output, "headers": .object(response.metadata.mapValues { .string($0) })], metadata: response.metadata)
        }
    }

    // LegacyResponse.metadata is documented as "response headers, for middleware that passes facts
    // outwards", as Django's response headers are; the adapter returns only `response.output` to the
    // next layer out, so an outer middleware's processResponse always gets empty headers.
    @Test("response headers set by an inner middleware (or its short-circuit) reach the outer middleware's processResponse")
    func headersPassOutwards() async throws {
        let runtime = Fixtures.runtime()
        try runtime.registry.register(legacyMiddleware: "reveal") { _ in .synchronous(Reveal()) }
        try runtime.registry.register(legacyMiddleware: "timing") { _ in .synchronous(Header(name: "timing", shortCircuits: false)) }
        try runtime.registry.register(legacyMiddleware: "deny") { _ in .synchronous(Header(name: "deny", shortCircuits: true)) }
        let definition = WorkflowDefinition(
            id: "headers",
            nodes: [
                NodeDefinition("stamped", kind: "echo", interceptors: ["reveal", "timing"]),
                NodeDefinition("denied", kind: "echo", interceptors: ["reveal", "deny"]),
            ])
        let result = try await runtime.start(definition).result
        #expect(result.nodes["stamped"]?.output == ["inner": "stamped", "headers": ["x-timing": "1"]])
        #expect(result.nodes["denied"]?.output == ["inner": "denied", "headers": ["status": "401", "x-deny": "1"]])
    }
}

// MARK: - The api-key-check plugin

@Suite("Legacy middleware from a plugin: api-key-check", .timeLimit(.minutes(2)))
struct LegacyPluginTests {
    /// A runtime with the plugin loaded and a `guarded` kind that records its calls and answers with `x-caller`.
    static func runtime(options: PluginLoadOptions = PluginLoadOptions()) throws -> (WorkflowRuntime, TraceLog) {
        let runtime = WorkflowRuntime()
        let failures = runtime.registry.loadPlugins(files: [PluginFixtures.product("TroupeAPIKeyCheck")], options: options)
        #expect(failures.isEmpty, "\(failures)")
        let calls = TraceLog()
        try runtime.register(kind: "guarded") { call in
            calls.record(call.metadata["x-caller"] ?? "nobody")
            return ["caller": .string(call.metadata["x-caller"] ?? "nobody")]
        }
        return (runtime, calls)
    }

    /// Checks a missing key, a wrong key and the right key against a node naming `reference`.
    static func checkKeys(_ runtime: WorkflowRuntime, calls: TraceLog, reference: InterceptorReference) async throws {
        let definition = WorkflowDefinition(id: "guarded", nodes: [NodeDefinition("secret", kind: "guarded", interceptors: [reference])])
        let missing = try await runtime.start(definition).result
        #expect(missing.status == .completed)
        #expect(missing.nodes["secret"]?.output == ["denied": true, "reason": "missing x-api-key"])
        #expect(calls.recorded.isEmpty, "the executor is not called without a key")

        let wrong = try await runtime.start(definition, metadata: ["x-api-key": "guess"]).result
        #expect(wrong.nodes["secret"]?.output == ["denied": true, "reason": "unknown x-api-key"])
        #expect(calls.recorded.isEmpty, "the executor is not called with an unknown key")

        let right = try await runtime.start(definition, metadata: ["x-api-key": "s3cret"]).result
        #expect(right.nodes["secret"]?.output == ["caller": "alice"])
        #expect(calls.recorded == ["alice"])
    }

    @Test("the registry lists api-key as legacy middleware from the plugin")
    func listed() throws {
        let (runtime, _) = try Self.runtime()
        let entry = try #require(runtime.registry.components.first { $0.component.name == "api-key" })
        #expect(entry.component == .legacyMiddleware("api-key"))
        #expect(entry.source == .plugin(name: "api-key-check", version: SemanticVersion(1, 0, 0), generation: 1))
        #expect(runtime.registry.plugins.first?.provides == [.legacyMiddleware("api-key")])
    }

    @Test("configured where the workflow names it: denies a missing or unknown key without calling the executor, stamps the caller")
    func configuredAtUse() async throws {
        let (runtime, calls) = try Self.runtime()
        try await Self.checkKeys(runtime, calls: calls, reference: InterceptorReference("api-key", config: ["keys": ["s3cret": "alice"]]))
    }

    // The plugin's configuration from PluginLoadOptions is handed to configure(with:) and to
    // makeExecutor, but legacyInterceptorFactory passes makeLegacyMiddleware only the config written
    // where the workflow names the middleware (here none), so the plugin refuses it and the
    // workflow fails validation.
    @Test("configured through PluginLoadOptions: denies a missing or unknown key without calling the executor, stamps the caller")
    func configuredAtLoad() async throws {
        let (runtime, calls) = try Self.runtime(options: PluginLoadOptions(configurations: ["api-key-check": ["keys": ["s3cret": "alice"]]]))
        try await Self.checkKeys(runtime, calls: calls, reference: "api-key")
    }
}
