#if canImport(Glibc)
    import Glibc
#endif

/// A value guarded by a pthread mutex, in one allocation, built the way swift-nio's `NIOLock` is.
///
/// Not `Synchronization.Mutex`: on Linux it hands contended locks over through PI futexes,
/// which ThreadSanitizer cannot see, so every contended section is reported as a race and the
/// suite could not run clean under `--sanitize=thread`. ThreadSanitizer intercepts pthread mutexes.
/// The value is the buffer's header and the mutex its tail element, so a lock costs one allocation
/// whatever `Value` is, `Void` included; every pthread call's result is checked. A struct around
/// that buffer, not a class: copies share the one lock, and the owner holds the buffer directly
/// instead of a second object that points to it (a parked instance holds four locks).
@_spi(Development) public struct LockedValue<Value>: @unchecked Sendable {
    private final class Storage: ManagedBuffer<Value, pthread_mutex_t> {
        deinit {
            withUnsafeMutablePointerToElements { mutex in
                let status = pthread_mutex_destroy(mutex)
                precondition(status == 0, "pthread_mutex_destroy failed: \(status)")
            }
        }
    }

    private let storage: Storage

    /// Guards `value`.
    public init(_ value: Value) {
        let buffer = Storage.create(minimumCapacity: 1) { _ in value }
        storage = unsafeDowncast(buffer, to: Storage.self)
        storage.withUnsafeMutablePointerToElements { mutex in
            var attributes = pthread_mutexattr_t()
            pthread_mutexattr_init(&attributes)
            defer { pthread_mutexattr_destroy(&attributes) }
            // Error checking turns a relock from the same thread into an error instead of a deadlock.
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
            let status = pthread_mutex_init(mutex, &attributes)
            precondition(status == 0, "pthread_mutex_init failed: \(status)")
        }
    }

    /// A copy of the value, read under the lock.
    ///
    /// Read a function-typed value with this, never with `withLock { $0 }`: passing one `inout`
    /// through this generic buffer wraps it in two more reabstraction thunks each time, so a hook
    /// read once per run became a call thousands of thunks deep (quadratic, and in the end a stack overflow).
    public func load() -> Value {
        withLock { (value: inout Value) -> Value in value }
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        try storage.withUnsafeMutablePointers { (value, mutex) throws(Failure) -> Result in
            let locked = pthread_mutex_lock(mutex)
            precondition(locked == 0, "pthread_mutex_lock failed: \(locked)")
            defer {
                let unlocked = pthread_mutex_unlock(mutex)
                precondition(unlocked == 0, "pthread_mutex_unlock failed: \(unlocked)")
            }
            return try body(&value.pointee)
        }
    }
}

extension LockedValue where Value == Void {
    /// A plain lock.
    public init() { self.init(()) }

    /// Runs `body` while holding the lock.
    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try withLock { (_: inout Void) throws(Failure) -> Result in try body() }
    }
}
