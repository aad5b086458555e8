/// Why a file named on the command line could not be written, in words for the user.
struct FileWriteError: Error {
    /// The reason, such as "No such file or directory".
    let reason: String
}
