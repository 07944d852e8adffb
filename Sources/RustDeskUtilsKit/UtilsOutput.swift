/// Where `rustdesk-utils` writes its lines: stdout in the tool, a recorder in tests.
public struct UtilsOutput: Sendable {
    private let writeLineHandler: @Sendable (String) -> Void

    /// `writeLine` receives each output line without its newline.
    public init(writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLineHandler = writeLine
    }

    public static var standardOutput: UtilsOutput {
        UtilsOutput { print($0) }
    }

    func line(_ text: String = "") {
        writeLineHandler(text)
    }
}
