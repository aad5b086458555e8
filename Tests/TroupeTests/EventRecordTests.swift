import Foundation
import Testing
import TroupeTesting

@testable import Troupe

/// An event log keeps its history as ``EventRecord``s: every kind must come back exactly as it was recorded.
@Suite("Compact event records", .timeLimit(.minutes(1)))
struct EventRecordTests {
    static let kinds: [WorkflowEvent.Kind] = [
        .instanceStarted, .nodeStarted(node: "a", attempt: 3), .nodeCompleted(node: "a", duration: .nanoseconds(1_234_567)),
        .nodeFailed(node: "b", error: "boom", duration: .seconds(2)), .nodeTimedOut(node: "c", duration: .milliseconds(5)),
        .nodeCancelled(node: "d"), .nodeSkipped(node: "e", reason: "upstream node a failed"),
        .nodeWaiting(node: "w", signal: "approval"), .nodeSignalled(node: "w", signal: "approval"), .paused, .resumed,
        .cancelled(duration: .zero), .completed(duration: .seconds(-1)), .failed(error: "x", duration: .microseconds(7)),
        .timedOut(duration: .seconds(86_400 * 365)),
        // Kept whole: two numbers, a note, a duration finer than a nanosecond, one too long for nanoseconds.
        .nodeRetrying(node: "r", attempt: 1, delay: .seconds(1), error: "again"),
        .interceptorNote(node: "n", note: InterceptorNote(interceptor: "cache", event: "hit", message: "m", details: ["k": 1])),
        .nodeCompleted(node: "f", duration: Duration(secondsComponent: 0, attosecondsComponent: 1)),
        .completed(duration: .seconds(Int64.max)),
        // Its seconds fit 64-bit nanoseconds, but not with its nanoseconds added.
        .nodeCompleted(node: "g", duration: Duration(secondsComponent: 9_223_372_036, attosecondsComponent: 854_775_808_000_000_000)),
        // Kept whole: a node that is not the workflow's.
        .nodeStarted(node: "elsewhere", attempt: 1),
    ]

    /// The workflow's node ids, in the order of their indices.
    static let nodeIDs = ["a", "b", "c", "d", "e", "w", "r", "n", "f", "g"]

    @Test func everyKindComesBackAsRecorded() {
        var uncommon: [WorkflowEvent.Kind] = []
        let indices = Dictionary(uniqueKeysWithValues: Self.nodeIDs.enumerated().map { ($1, $0) })
        let records = Self.kinds.enumerated().map { EventRecord($1, offset: Int64($0), nodeIndices: indices, uncommon: &uncommon) }
        #expect(records.map { $0.kind(nodeIDs: Self.nodeIDs, uncommon: uncommon) } == Self.kinds)
        #expect(records.map(\.offset) == Array(0..<Int64(Self.kinds.count)))
        #expect(uncommon.count == 6, "only the six kinds a record cannot hold are kept whole")
    }

    /// A record keeps its node as an index, so that a parked instance's history stays small.
    @Test func aRecordTakesFortyBytes() {
        #expect(MemoryLayout<EventRecord>.stride == 40)
        #expect(MemoryLayout<EventRecord>.stride < MemoryLayout<WorkflowEvent.Kind>.stride)
    }

    /// A late subscriber reads the history from the records: the same events, with timestamps in order.
    @Test func aLateSubscriberReadsEveryEventFromTheRecords() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(
            WorkflowDefinition(
                id: "late", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("b", kind: "fail")],
                edges: [EdgeDefinition(from: "a", to: "b")]))
        _ = try await handle.result
        var kinds: [WorkflowEvent.Kind] = []
        var timestamps: [Date] = []
        for await event in handle.events {
            kinds.append(event.kind)
            timestamps.append(event.timestamp)
        }
        #expect(kinds.count == 6, "\(kinds)")
        #expect(kinds.first == .instanceStarted)
        #expect(kinds.contains(.nodeStarted(node: "b", attempt: 1)))
        guard case .failed = kinds.last else {
            Issue.record("the last event is \(String(describing: kinds.last))")
            return
        }
        #expect(timestamps == timestamps.sorted())
    }
}
