import NIOCore
import RendezvousProtocol
import RustDeskCore
import SwiftProtobuf

extension Hbb_RendezvousMessage {
    /// Decodes one unit (a datagram, a frame payload or a WebSocket message) without copying it.
    public init(buffer: ByteBuffer) throws {
        try self.init(serializedBytes: buffer.readableBytesSpan)
    }

    /// The serialized message in a buffer from `allocator`, ready to frame or send as a datagram.
    public func byteBuffer(allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let bytes: [UInt8] = try serializedBytes()
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }
}

extension SocketAddress {
    /// The IP and port in the NIO-free form the decision logic uses; nil for Unix-domain sockets.
    public var socketAddr: SocketAddr? {
        switch self {
        case .v4(let address):
            let host = UInt32(bigEndian: address.address.sin_addr.s_addr)
            return SocketAddr(ip: .v4(host), port: UInt16(bigEndian: address.address.sin_port))
        case .v6(let address):
            // Read the 16 network-order bytes straight into a number: this runs for every datagram.
            let raw = address.address.sin6_addr
            let value = withUnsafeBytes(of: raw) { UInt128(bigEndian: $0.loadUnaligned(as: UInt128.self)) }
            return SocketAddr(ip: .v6(value), port: UInt16(bigEndian: address.address.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }

    /// A NIO address for `address` (IPv4 or IPv6 as given, no normalisation).
    public init(_ address: SocketAddr) throws {
        try self.init(ipAddress: address.ip.description, port: Int(address.port))
    }
}
