import Foundation
@_spi(Development) import Troupe

/// Honours `troupe cancel` and `troupe pause` from other processes for the runs this process owns:
/// they record a request in the run's row, which this reads four times a second while the run goes on.
final class RunRequestWatcher: Sendable {
    private let task: Task<Void, Never>

    /// Watches `handle`'s run in `store` until ``stop()``.
    init(_ handle: WorkflowHandle, store: any RunStore) {
        task = Task {
            guard let id = handle.runID else { return }
            while !Task.isCancelled {
                if let request = try? await store.run(id)?.request {
                    switch request {
                    case "cancel": handle.cancel()
                    case "pause": await handle.pause()
                    default: break
                    }
                    try? await store.commit([.request(id, nil)])
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Stops watching.
    func stop() { task.cancel() }
}
