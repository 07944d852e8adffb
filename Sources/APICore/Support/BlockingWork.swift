/// Runs CPU-heavy work (Argon2id takes a fraction of a second and tens of MiB) away from the event
/// loops and the cooperative pool; hbbs injects a thread pool, whose size also bounds how many
/// password hashes run at once. Tests run the work inline.
public struct BlockingWork: Sendable {
    private let submit: @Sendable (@escaping @Sendable () -> Void) async -> Void

    /// `submit` must run the closure exactly once, on a thread that may block, and return after it ran.
    public init(submit: @escaping @Sendable (@escaping @Sendable () -> Void) async -> Void) {
        self.submit = submit
    }

    /// Runs on the caller's thread: for tests and tools.
    public static let inline = BlockingWork { work in work() }

    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        let box = HandOff<T>()
        await submit { box.value = body() }
        guard let value = box.value else {
            // The submitter did not run the work (a stopped pool): run it here rather than lose it.
            return body()
        }
        return value
    }
}
