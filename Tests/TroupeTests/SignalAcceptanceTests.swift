import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A signal is accepted (`signal` returns `true`) only while some `wait` node can still receive
/// it: one sent after the only node for its name has received its signal, while that node's end is
/// still being recorded, is refused rather than accepted and then dropped as the node ends.
@Suite("Signals accepted only while a node can receive them", .timeLimit(.minutes(1)))
struct SignalAcceptanceTests {
    /// A parked wait that ignores how it ends.
    private final class IgnoredWait: ParkedWait {
        func waitEnded(_ received: Result<JSONValue, any Error>) {}
        func recorded(_ kind: String, node: String, signal: String) {}
    }

    private func mailbox(waitNodes: [String], waitingOnce: Set<String>) -> SignalMailbox {
        let log = EventLog(instanceID: InstanceID(rawValue: 1), plan: ExecutionPlan(Fixtures.chain(waitNodes)), hub: EventHub())
        let signalByNode = Dictionary(uniqueKeysWithValues: waitNodes.indices.map { ($0, "approve") })
        return SignalMailbox(signalByNode: signalByNode, openNodes: ["approve": waitNodes.count], waitingOnce: waitingOnce, log: log)
    }

    @Test("after the only node that waits once has received its signal, a second is refused, before and after it ends")
    func secondSignalForANodeThatWaitsOnce() {
        let mailbox = mailbox(waitNodes: ["approval"], waitingOnce: ["approval"])
        guard case .parked = mailbox.park("approve", node: "approval", wait: IgnoredWait()) else {
            Issue.record("the wait did not park")
            return
        }
        #expect(mailbox.deliver("approve", value: "yes"))
        #expect(!mailbox.deliver("approve", value: "again"), "no node can receive it any more")
        mailbox.nodeEnded(0, node: "approval")
        #expect(!mailbox.deliver("approve", value: "late"))
    }

    @Test("after the only node that waits once has timed out or been withdrawn, a signal is refused before it ends")
    func signalAfterTheWaitEnded() {
        for timesOut in [true, false] {
            let mailbox = mailbox(waitNodes: ["approval"], waitingOnce: ["approval"])
            guard case .parked(let waiter) = mailbox.park("approve", node: "approval", wait: IgnoredWait()) else {
                Issue.record("the wait did not park")
                return
            }
            if timesOut {
                mailbox.timeOut(waiter, with: SignalTimeout(node: "approval", signal: "approve", timeout: .seconds(1)))
            } else {
                mailbox.withdraw(waiter)
            }
            #expect(!mailbox.deliver("approve", value: "late"), "no node can receive it (timed out: \(timesOut))")
            mailbox.nodeEnded(0, node: "approval")
            #expect(!mailbox.deliver("approve", value: "later"))
        }
    }

    @Test("a signal kept before the node waits counts it out as it takes the signal")
    func keptSignalTaken() {
        let mailbox = mailbox(waitNodes: ["approval"], waitingOnce: ["approval"])
        #expect(mailbox.deliver("approve", value: "early"))
        #expect(!mailbox.deliver("approve", value: "second"), "one node, one signal")
        guard case .received("early") = mailbox.park("approve", node: "approval", wait: IgnoredWait()) else {
            Issue.record("the kept signal was not received")
            return
        }
        #expect(!mailbox.deliver("approve", value: "third"))
    }

    @Test("a node that may wait again (an interceptor could retry it) keeps room for a signal until it ends")
    func aNodeThatMayWaitAgain() {
        let mailbox = mailbox(waitNodes: ["approval"], waitingOnce: [])
        guard case .parked = mailbox.park("approve", node: "approval", wait: IgnoredWait()) else {
            Issue.record("the wait did not park")
            return
        }
        #expect(mailbox.deliver("approve", value: "yes"))
        #expect(mailbox.deliver("approve", value: "for a retry"))
        mailbox.nodeEnded(0, node: "approval")
        #expect(!mailbox.deliver("approve", value: "late"))
    }

    @Test("with a second node for the same signal, a signal sent while the first ends is kept for the second")
    func aSecondNodeForTheSameSignal() {
        let mailbox = mailbox(waitNodes: ["first", "second"], waitingOnce: ["first", "second"])
        guard case .parked = mailbox.park("approve", node: "first", wait: IgnoredWait()) else {
            Issue.record("the wait did not park")
            return
        }
        #expect(mailbox.deliver("approve", value: "one"))
        #expect(mailbox.deliver("approve", value: "two"))
        #expect(!mailbox.deliver("approve", value: "three"), "two nodes, two signals")
        mailbox.nodeEnded(0, node: "first")
        guard case .received("two") = mailbox.park("approve", node: "second", wait: IgnoredWait()) else {
            Issue.record("the second node did not receive the kept signal")
            return
        }
        mailbox.nodeEnded(1, node: "second")
        #expect(!mailbox.deliver("approve", value: "four"))
    }

    /// A store whose commits wait at `gate` once told to.
    final class HeldCommits: ForwardingRunStore, @unchecked Sendable {
        let holding = LockedValue(false)
        let gate = Gate()

        override func commit(_ writes: [StoreWrite]) async throws {
            if holding.withLock({ $0 }) { await gate.pass() }
            try await base.commit(writes)
        }
    }

    @Test("a durable run: a second signal sent while the wait node's completion is being committed is refused")
    func secondSignalDuringTheCompletionCommit() async throws {
        let directory = try StoreDirectory()
        let store = HeldCommits(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let runtime = WorkflowRuntime(store: store, requestPollInterval: .seconds(3600))
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        let workflow = WorkflowDefinition(
            id: "approval", nodes: [NodeDefinition("first", kind: "echo"), NodeDefinition("approval", kind: "wait")],
            edges: [EdgeDefinition(from: "first", to: "approval")])
        let handle = runtime.start(try runtime.prepare(workflow))
        while await !handle.instance.isParked { await Task.yield() }
        store.holding.withLock { $0 = true }
        #expect(handle.signal("approval", "yes"))
        await store.gate.waitForArrivals(1)
        #expect(!handle.signal("approval", "again"), "the only wait node has its signal: nothing can receive this one")
        store.gate.openAll()
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "yes")
        await store.close()
    }
}
