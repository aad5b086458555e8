import Dispatch
import Foundation

/// Turns Ctrl-C into a call instead of the default kill, so that a run can cancel its instance
/// and still print the partial result.
struct Interruption {
    /// The source that receives SIGINT once its default action is off.
    private let source: any DispatchSourceSignal

    /// Starts calling `action` on each SIGINT.
    init(action: @escaping @Sendable () -> Void) {
        // Ignored first: the source only watches the signal, and its default action would end the process.
        signal(SIGINT, SIG_IGN)
        // A serial queue of its own gets a thread at once; `.global()` threads may all be blocked reading `shell` nodes' pipes.
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "troupe.interrupt"))
        source.setEventHandler(handler: action)
        source.resume()
    }

    /// Stops calling the action.
    func stop() { source.cancel() }
}
