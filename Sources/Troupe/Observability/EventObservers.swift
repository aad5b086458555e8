import Synchronization

/// The observers of a runtime's events; publishing costs one atomic load while there are none.
final class EventObservers: Sendable {
    private let observers = LockedValue<[any WorkflowEventObserver]>([])
    private let count = Atomic<Int>(0)

    func add(_ observer: any WorkflowEventObserver) {
        observers.withLock { observers in
            observers.append(observer)
            count.store(observers.count, ordering: .releasing)
        }
    }

    func publish(_ event: WorkflowEvent) {
        guard count.load(ordering: .acquiring) > 0 else { return }
        for observer in observers.withLock({ $0 }) { observer.observe(event) }
    }
}
