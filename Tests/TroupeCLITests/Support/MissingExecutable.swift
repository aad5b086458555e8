/// The `troupe` binary was not built next to the tests; `swift build` builds it.
struct MissingExecutable: Error, CustomStringConvertible {
    /// Says how to get the binary built.
    var description: String { "no `troupe` executable above the test bundle; run `swift build` first" }
}
