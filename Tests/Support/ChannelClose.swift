import NIOCore

/// Waits until `channel` is closed (by the server, in tests); false if `timeout` passes first.
public func waitForClose(of channel: any Channel, timeout: Duration = .seconds(15)) async -> Bool {
    let closed = channel.closeFuture
    return await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            try? await closed.get()
            return true
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
