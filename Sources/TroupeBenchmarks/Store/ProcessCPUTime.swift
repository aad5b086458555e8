#if canImport(Glibc)
    import Glibc
#endif

/// The CPU time the whole process has used (all threads, user and kernel), from `getrusage`:
/// the store benchmark divides it by the nodes a phase completed, so that a throughput that the
/// machine's other load moves can be told apart from work per node that the code changed.
enum ProcessCPUTime {
    /// User plus system time so far, in seconds; 0 where `getrusage` is not available.
    static func seconds() -> Double {
        #if canImport(Glibc)
            var usage = rusage()
            guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        #else
            return 0
        #endif
    }
}
