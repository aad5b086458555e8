/// Why a file named on the command line could not be read, in words for its user.
struct FileReadError: Error, Sendable {
    /// The reason, such as errno's text.
    let reason: String
}
