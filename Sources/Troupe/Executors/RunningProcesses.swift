#if canImport(Glibc)
    import Glibc
#endif

/// The shell processes the runtime has spawned and not yet reaped, so that a host about to exit
/// without waiting for its nodes (`troupe run` on a second signal) can kill them first, instead of
/// leaving them to run on under init.
@_spi(Development) public enum RunningProcesses {
    private struct State {
        var processes: [pid_t: ChildProcess] = [:]
        /// Spawns begun and not yet noted: their processes may run before anyone knows their pids.
        var spawning = 0
        /// Set by ``terminateAll()``: no spawn begins after it.
        var closed = false
    }

    private static let state = LockedValue(State())

    /// Kills the process group of every running shell node, once spawns under way have finished,
    /// and refuses every later spawn.
    public static func terminateAll() {
        state.withLock { $0.closed = true }
        // A spawn under way takes a fraction of a millisecond, and no new one can begin.
        while state.withLock({ $0.spawning }) > 0 { sched_yield() }
        for process in state.withLock({ Array($0.processes.values) }) { process.terminateGroup() }
    }

    /// Reserves a spawn; false once ``terminateAll()`` has run. Every true is followed by ``endSpawn(_:)``.
    static func beginSpawn() -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.spawning += 1
            return true
        }
    }

    /// Ends a spawn reserved with ``beginSpawn()``, noting its process if it started one.
    static func endSpawn(_ process: ChildProcess?) {
        state.withLock { state in
            state.spawning -= 1
            if let process { state.processes[process.pid] = process }
        }
    }

    /// Forgets a process that has been reaped.
    static func remove(_ pid: pid_t) {
        _ = state.withLock { $0.processes.removeValue(forKey: pid) }
    }
}
