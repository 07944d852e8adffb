import HTTPTypes
import NIOCore

/// An answer as NIO's HTTP/1.1 encoder puts it on the wire after Hummingbird's codec (status line,
/// the fields in order under their given names, a blank line, the body), for `HeartbeatFrontDoor`,
/// which writes below the codec. Only for answers that carry `Content-Length`, as every
/// `APIResponse` does; tests compare these bytes with the router's.
enum HTTPWireResponse {
    static func bytes(_ head: HTTPResponse, body: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(128 + body.readableBytes)
        buffer.writeString("HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n")
        for field in head.headerFields {
            buffer.writeString(field.name.rawName)
            buffer.writeString(": ")
            buffer.writeString(field.value)
            buffer.writeString("\r\n")
        }
        buffer.writeString("\r\n")
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}
