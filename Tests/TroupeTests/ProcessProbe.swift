import Foundation

@_spi(Development) @testable import Troupe

/// Process checks for tests.
enum ProcessProbe {
    /// Returns once `pid` has exited (a zombie counts), watching a pidfd on a thread of its own;
    /// returns early when the test is cancelled (its time limit).
    static func exit(of pid: pid_t) async {
        // pidfd_open fails with ESRCH when the process is already gone.
        guard let descriptor = try? LinuxSystemCalls.processDescriptor(pid) else { return }
        guard let cancel = try? LinuxSystemCalls.closeOnExecPipe() else { return }
        defer { for end in [descriptor, cancel.read, cancel.write] { close(end) } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: cancel.read, events: Int16(POLLIN), revents: 0)]
                    while poll(&watched, 2, -1) < 0 && errno == EINTR {}
                    continuation.resume()
                }
            }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(cancel.write, &byte, 1)
        }
    }

    /// How many threads this process has now.
    static var threadCount: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }
}
