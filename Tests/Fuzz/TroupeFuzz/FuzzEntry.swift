/// libFuzzer's driver; linked in by `-sanitize=fuzzer`. Called through its C declaration
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The executable's entry point: SwiftPM links an executable's `main` to `<Module>_main`, and with
/// `-parse-as-library` this module defines it itself, handing the command line to libFuzzer.
@_cdecl("TroupeFuzz_main")
func troupeFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        WorkflowFileCheck.check(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
