import Foundation
import Troupe

/// Process checks for tests.
enum ProcessProbe {
    /// Whether `pid` names no process at all (not even a zombie).
    static func isGone(_ pid: pid_t) -> Bool { kill(pid, 0) == -1 && errno == ESRCH }

    /// Returns once `pid` has exited (a zombie counts), watching a pidfd on a thread of its own.
    static func exit(of pid: pid_t) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                // pidfd_open fails with ESRCH when the process is already gone.
                if let descriptor = try? LinuxSystemCalls.processDescriptor(pid) {
                    var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    while poll(&watched, 1, -1) < 0 && errno == EINTR {}
                    close(descriptor)
                }
                continuation.resume()
            }
        }
    }

    /// How many threads this process has now.
    static var threadCount: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }
}
