/// Checks `condition` every 2 ms until it holds; false if `timeout` of real time passes first (the
/// condition is checked once more after the last pause). For state another thread sets without telling
/// anyone (a timer registered on its loop, a count behind a lock); the condition may itself await.
public func poll(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return true
}
