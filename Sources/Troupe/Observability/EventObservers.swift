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

    /// Whether any observer is attached: without one, events need not be built for them.
    var isObserved: Bool { count.load(ordering: .acquiring) > 0 }

    func publish(_ event: WorkflowEvent) {
        guard isObserved else { return }
        for observer in observers.withLock({ $0 }) { observer.observe(event) }
    }
}
