import Foundation

/// How the command ended; `Tool.main` is `@concurrent`, so the runtime runs off the main actor that runs this file.
let status = await Tool.main(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
