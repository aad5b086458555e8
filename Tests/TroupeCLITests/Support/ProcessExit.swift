import Foundation

@_spi(Development) @testable import Troupe

/// Waits for a process that is not the test's child to exit, through a pidfd.
enum ProcessExit {
    /// Returns true once `pid` has exited (a zombie counts, and so does a pid already gone), false
    /// when the test is cancelled first (its time limit).
    static func wait(for pid: pid_t) async -> Bool {
        // pidfd_open fails with ESRCH when the process is already gone.
        guard let descriptor = try? LinuxSystemCalls.processDescriptor(pid) else { return true }
        guard let cancel = try? LinuxSystemCalls.closeOnExecPipe() else { return false }
        defer { for end in [descriptor, cancel.read, cancel.write] { close(end) } }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                Thread.detachNewThread {
                    var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: cancel.read, events: Int16(POLLIN), revents: 0)]
                    while poll(&watched, 2, -1) < 0 && errno == EINTR {}
                    continuation.resume(returning: watched[0].revents != 0)
                }
            }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(cancel.write, &byte, 1)
        }
    }
}
