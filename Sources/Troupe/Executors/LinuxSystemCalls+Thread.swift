#if canImport(Glibc)
    import Glibc
#endif

extension LinuxSystemCalls {
    /// A thread's work, handed through `pthread_create`'s one pointer.
    private final class ThreadBody {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a detached thread of its own for `body`: a plain pthread, not one of Dispatch's or the
    /// cooperative pool's, because the callers block in `poll` or `read` for the rest of the process.
    @_spi(Development) public static func startThread(_ body: @escaping @Sendable () -> Void) throws(Failure) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        let status = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw Failure(call: "pthread_create", code: status)
        }
        pthread_detach(thread)
    }
}
