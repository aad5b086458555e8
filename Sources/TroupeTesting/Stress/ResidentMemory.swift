import Foundation

/// The process's resident memory, read from `/proc/self/status`.
public enum ResidentMemory {
    /// `VmRSS`: resident now, in bytes; 0 where it cannot be read.
    public static var current: Int { field("VmRSS:") }
    /// `VmHWM`: the most that was ever resident, in bytes; 0 where it cannot be read.
    public static var peak: Int { field("VmHWM:") }

    /// Asks glibc's allocator to return freed pages (`malloc_trim(0)`), so resident memory shows what is still in use.
    public static func handBackFreedMemory() {
        // Looked up at run time: the Glibc module does not import <malloc.h>.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
    }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            // "VmRSS:	   12345 kB"
            let number = line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first
            return (number.flatMap { Int($0) } ?? 0) * 1024
        }
        return 0
    }
}
