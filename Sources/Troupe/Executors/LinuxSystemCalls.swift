#if canImport(Glibc)
    import Glibc
#endif

/// Linux calls that Swift's `Glibc` module leaves out (it is imported without `_GNU_SOURCE`),
/// looked up once in the C library: creating a descriptor and then marking it close-on-exec would
/// let a process spawned by another thread in between inherit it.
@_spi(Development) public enum LinuxSystemCalls {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>?, UInt32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    private static let pipe2 = lookUp("pipe2", as: Pipe2.self)
    private static let pidfdOpen = lookUp("pidfd_open", as: PidfdOpen.self)
    private static let memfdCreate = lookUp("memfd_create", as: MemfdCreate.self)
    /// glibc 2.34 and later.
    private static let addCloseFrom = lookUp("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)
    /// `MFD_CLOEXEC` from `<sys/mman.h>`.
    private static let memfdCloseOnExec: UInt32 = 1

    /// A failed call: its name and `errno`.
    public struct Failure: Error {
        /// The call that failed.
        public let call: String
        /// Its `errno`, or `ENOSYS` when the C library lacks the call.
        public let code: Int32

        /// Names a failed call and its `errno`.
        public init(call: String, code: Int32) {
            self.call = call
            self.code = code
        }

        /// The call and the system's text for the code.
        public var message: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// A pipe whose two ends are close-on-exec, so that no other spawned process inherits them.
    public static func closeOnExecPipe() throws(Failure) -> (read: Int32, write: Int32) {
        guard let pipe2 else { throw Failure(call: "pipe2", code: ENOSYS) }
        var ends: [Int32] = [-1, -1]
        guard pipe2(&ends, O_CLOEXEC) == 0 else { throw Failure(call: "pipe2", code: errno) }
        return (ends[0], ends[1])
    }

    /// A descriptor that becomes readable when process `pid` exits; always close-on-exec.
    public static func processDescriptor(_ pid: pid_t) throws(Failure) -> Int32 {
        guard let pidfdOpen else { throw Failure(call: "pidfd_open", code: ENOSYS) }
        let descriptor = pidfdOpen(pid, 0)
        guard descriptor >= 0 else { throw Failure(call: "pidfd_open", code: errno) }
        return descriptor
    }

    /// An anonymous, close-on-exec file in memory holding `bytes`, positioned at its start.
    public static func memoryFile(named name: String, holding bytes: [UInt8]) throws(Failure) -> Int32 {
        guard let memfdCreate else { throw Failure(call: "memfd_create", code: ENOSYS) }
        let descriptor = memfdCreate(name, memfdCloseOnExec)
        guard descriptor >= 0 else { throw Failure(call: "memfd_create", code: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                throw Failure(call: "write", code: code)
            }
            written += count
        }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(call: "lseek", code: code)
        }
        return descriptor
    }

    /// Has the spawned program start with every descriptor from `lowest` up closed, so that it
    /// inherits none the host opened without close-on-exec (a Foundation `Pipe`, a socket); returns
    /// whether the C library could add that (glibc before 2.34 cannot).
    @discardableResult
    public static func closeDescriptors(from lowest: Int32, in actions: inout posix_spawn_file_actions_t) -> Bool {
        guard let addCloseFrom else { return false }
        return addCloseFrom(&actions, lowest) == 0
    }

    private static func lookUp<Function>(_ name: String, as type: Function.Type) -> Function? {
        // A null handle is RTLD_DEFAULT: the symbol as the process already resolves it.
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
