/// Checks `condition` every few milliseconds until it holds; false if `timeout` of real time passes
/// first. For state another thread sets without telling anyone (a timer registered on its loop).
public func poll(timeout: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return true
}
