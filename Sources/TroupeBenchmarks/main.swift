#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(await BenchmarkCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
