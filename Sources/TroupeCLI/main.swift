import Foundation
import Troupe

if CommandLine.arguments.dropFirst().first == PluginProbe.commandWord {
    // A child the tool started itself to vet a plugin (see PluginSelection): no usage, just the probe.
    exit(PluginProbe.run(Array(CommandLine.arguments.dropFirst(2))))
}
/// How the command ended; `Tool.main` is `@concurrent`, so the runtime runs off the main actor that runs this file.
let status = await Tool.main(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
