import RustDeskCore

/// A fast reader for the one datagram hbbs receives most: `RendezvousMessage{register_peer{id, serial}}`
/// (spec/messages.md, RegisterPeer), encoded the way every client encodes it (fields in number order,
/// no unknown fields). Anything else returns nil and goes through the full protobuf decoder, so the
/// outcome for any input is exactly the decoder's; this only skips its allocations and dispatch on the
/// heartbeat path.
public enum HeartbeatDatagram {
    /// `register_peer` is field 6 of the envelope, length-delimited.
    static let envelopeTag: UInt8 = 0x32
    /// `RegisterPeer.id` is field 1 (length-delimited), `serial` field 2 (varint).
    static let idTag: UInt8 = 0x0A
    static let serialTag: UInt8 = 0x10

    public struct RegisterPeer: Equatable, Sendable {
        public var id: String
        public var serial: Int32

        public init(id: String, serial: Int32) {
            self.id = id
            self.serial = serial
        }
    }

    /// The heartbeat in `bytes`, or nil when they are not a canonical RegisterPeer envelope.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> RegisterPeer? {
        var reader = Reader(bytes: bytes)
        guard reader.byte() == envelopeTag, let length = reader.varint(), length == UInt64(reader.remaining)
        else { return nil }
        var id = ""
        var serial: Int32 = 0
        if reader.remaining > 0, reader.peek() == idTag {
            reader.skip()
            guard let idLength = reader.varint(), idLength <= UInt64(reader.remaining),
                let text = reader.string(count: Int(idLength))
            else { return nil }
            id = text
        }
        if reader.remaining > 0, reader.peek() == serialTag {
            reader.skip()
            // Protobuf int32 travels as a sign-extended 64-bit varint and is truncated on decode.
            guard let value = reader.varint() else { return nil }
            serial = Int32(truncatingIfNeeded: value)
        }
        guard reader.remaining == 0 else { return nil }
        return RegisterPeer(id: id, serial: serial)
    }

    /// Bounds-checked cursor; every read of past-the-end input yields nil instead of trapping.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var remaining: Int { bytes.count - offset }

        func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skip() { offset += 1 }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        /// A varint of at most 10 bytes, as protobuf allows.
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: UInt64(0), to: 70, by: 7) {
                guard let next = byte() else { return nil }
                value |= UInt64(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
            }
            return nil
        }

        /// `count` bytes as UTF-8 text; nil when they are not valid UTF-8 (the decoder rejects those).
        mutating func string(count: Int) -> String? {
            guard count <= remaining else { return nil }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
            offset += count
            return String(validating: slice, as: UTF8.self)
        }
    }
}
