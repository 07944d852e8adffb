/// The server side of one PORT connection's secure-TCP state (spec/wire.md §4.3, §4.4), free of I/O:
/// the handler sends `offer` first, classifies the client's first unit, and then runs every inbound
/// and outbound payload through `receive` / `send`.
///
/// offered → secured (the first unit was a two-key KeyExchange that opened) or plaintext (anything
/// else that parses); a bad KeyExchange, an unparsable first unit or a failed MAC → failed, after
/// which nothing is delivered.
public struct SecureChannelServer: Sendable {
    /// What the first inbound unit is, as the caller's protobuf decoder sees it.
    public enum FirstUnit: Equatable, Sendable {
        /// A RendezvousMessage holding a KeyExchange with these keys.
        case keyExchange(keys: [[UInt8]])
        /// Any other RendezvousMessage (including an empty one): the client speaks plaintext.
        case other
        /// Not a RendezvousMessage.
        case unparsable
    }

    /// What to do with an inbound payload.
    public enum Inbound: Equatable, Sendable {
        /// Pass this payload (plaintext) on to the message handler.
        case deliver([UInt8])
        /// The handshake reply: consumed here, nothing to pass on.
        case consumed
        /// Close the connection; count it.
        case fail(SecureChannelError)
    }

    /// Where the connection stands.
    public enum Mode: Equatable, Sendable {
        case offered, secured, plaintext, failed
    }

    private enum State: Sendable {
        case offered(SecureChannelServerHandshake)
        case secured(SecureChannelCipher)
        case plaintext
        case failed
    }

    private var state: State
    /// The one key of the server's first KeyExchange: `S`, the signed box public key (96 bytes).
    public let offer: [UInt8]

    public init(handshake: SecureChannelServerHandshake) {
        state = .offered(handshake)
        offer = handshake.signedBoxPublicKey
    }

    public var mode: Mode {
        switch state {
        case .offered: .offered
        case .secured: .secured
        case .plaintext: .plaintext
        case .failed: .failed
        }
    }

    /// Handles one inbound payload. `classify` is asked only for the first unit.
    public mutating func receive(_ payload: [UInt8], classify: ([UInt8]) -> FirstUnit) -> Inbound {
        switch state {
        case .failed:
            return .fail(.connectionFailed)
        case .plaintext:
            return .deliver(payload)
        case .secured(var cipher):
            do throws(SecureChannelError) {
                let opened = try cipher.open(payload)
                state = .secured(cipher)
                return .deliver(opened)
            } catch {
                state = .failed
                return .fail(error)
            }
        case .offered(let handshake):
            switch classify(payload) {
            case .other:
                state = .plaintext
                return .deliver(payload)
            case .unparsable:
                state = .failed
                return .fail(.malformedReply)
            case .keyExchange(let keys):
                do throws(SecureChannelError) {
                    state = .secured(try handshake.complete(keys: keys))
                    return .consumed
                } catch {
                    state = .failed
                    return .fail(error)
                }
            }
        }
    }

    /// Prepares one outbound payload: sealed once secured (an empty heartbeat stays plaintext), as it
    /// is otherwise. Throws only when the connection has failed or the counter is exhausted.
    public mutating func send(_ payload: [UInt8]) throws(SecureChannelError) -> [UInt8] {
        switch state {
        case .offered, .plaintext:
            return payload
        case .failed:
            throw .connectionFailed
        case .secured(var cipher):
            let sealed = try cipher.seal(payload)
            state = .secured(cipher)
            return sealed
        }
    }
}
