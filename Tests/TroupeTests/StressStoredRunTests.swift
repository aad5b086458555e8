import Foundation
import Testing

@testable import Troupe
@testable import TroupeTesting

@Suite("Stress driver: durable runs checked against the store", .timeLimit(.minutes(3)))
struct StressStoredRunTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    @Test("every stored run agrees with its result under cancels, pauses, deadlines and chaos")
    func storedRunsAgree() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let runtime = try StressRunTests.runtime(store: store)
        let workflow = try runtime.prepare(try WorkflowDefinition(json: StressRunTests.mixed))
        let options = StressOptions(instances: 300, concurrency: 24, seed: 5, cancelFraction: 0.05, pauseFraction: 0.05, deadlineFraction: 0.03)
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: options).run()
        #expect(report.violationCount == 0, "\(report.violations) \(report.runViolations)")
        let stored = try await store.runs(RunQuery(limit: 1_000))
        #expect(stored.filter { $0.parentRunID == nil }.count == 300, "one durable run per instance, beside its child runs")
        #expect(Set(stored.map(\.status)).isSubset(of: [.completed, .failed, .cancelled, .timedOut]))
        await store.close()
    }

    @Test("a store that disagrees with the results is reported, instance by instance")
    func disagreementIsFound() async throws {
        let store = MisreportingStore(try SQLiteRunStore(path: directory.file()))
        let runtime = try StressRunTests.runtime(store: store)
        let workflow = try runtime.prepare(try WorkflowDefinition(json: StressRunTests.mixed))
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: StressOptions(instances: 20, concurrency: 4)).run()
        #expect(report.violationCount >= 20)
        #expect(report.violations.contains { $0.message.contains("is stored paused") }, "\(report.violations)")
        await store.close()
    }
}

/// Forwards to a real store but reads every run back as `paused`: what a store that lost its
/// last write would say.
private final class MisreportingStore: ForwardingRunStore, @unchecked Sendable {
    override func run(_ id: RunID) async throws -> RunRecord? {
        var record = try await base.run(id)
        record?.status = .paused
        return record
    }
}
