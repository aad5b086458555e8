import Troupe

extension InterceptorCrossing {
    /// One line for `troupe run --verbose`: `→ fetch #1 cache (1/4)` on entry,
    /// `← fetch #1 cache (1/4) ok in 1.2 ms` or `… threw ShellExit: …` on exit.
    var line: String {
        let place = "\(nodeID) #\(attempt) \(interceptor) (\(position)/\(chainLength))"
        switch direction {
        case .entry:
            return "→ \(place)"
        case .exit:
            let time = duration.map { " in \($0.displayText)" } ?? ""
            guard let error else { return "← \(place) ok\(time)" }
            return "← \(place) threw\(time): \(error.split(whereSeparator: \.isNewline).joined(separator: " ⏎ "))"
        }
    }
}
