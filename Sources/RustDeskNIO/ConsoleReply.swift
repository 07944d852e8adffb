import NIOCore

/// The end of a loopback console connection on either server: write the command's output, then
/// close. The output is a future so a server whose commands may block (hbbs's `rs` resolves DNS)
/// can run them on a thread pool; a failed command closes without a reply.
public enum ConsoleReply {
    public static func send(_ output: EventLoopFuture<String>, on channel: any Channel) {
        output.whenComplete { result in
            guard case .success(let text) = result else { return channel.close(promise: nil) }
            var out = channel.allocator.buffer(capacity: text.utf8.count)
            out.writeString(text)
            channel.writeAndFlush(out).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
