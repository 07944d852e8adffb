/// Recognises, in raw bytes, a complete heartbeat request that `HeartbeatFrontDoor` may answer
/// without the HTTP pipeline. It accepts only what that pipeline would take as a plain heartbeat
/// (`HeartbeatFastPath.bodyLength(ifTaken:)`): the request line `POST /api/heartbeat[?query]
/// HTTP/1.1`, well-formed fields (token names, visible-ASCII values) within the head limits, at most
/// one `Content-Length` within the body limit and one `Host`, no `Transfer-Encoding`, `Expect` or
/// `Upgrade`, `Connection` only `keep-alive`, and the whole body present. Anything else, including a
/// request that has not fully arrived, is nil: the HTTP pipeline decides it.
enum HeartbeatFraming {
    struct Limits {
        var maxHeadBytes: Int
        var maxFields: Int
        var maxBodyBytes: Int
    }

    struct Request: Equatable {
        /// Bytes of the request line and fields, through the blank line.
        var headLength: Int
        var bodyLength: Int
        var totalLength: Int { headLength + bodyLength }
    }

    private static let requestLinePrefix = Array("POST /api/heartbeat".utf8)
    private static let version = Array(" HTTP/1.1\r\n".utf8)

    static func request(in bytes: UnsafeRawBufferPointer, limits: Limits) -> Request? {
        var scanner = Scanner(bytes: bytes, end: min(bytes.count, limits.maxHeadBytes))
        guard scanner.take(requestLinePrefix), scanner.skipQuery(), scanner.take(version) else { return nil }
        var bodyLength: Int?
        var hostSeen = false
        var fields = 0
        while !scanner.take(crlf) {
            fields += 1
            guard fields <= limits.maxFields, let field = scanner.field() else { return nil }
            switch field.name {
            case .contentLength:
                guard bodyLength == nil, let length = field.decimalValue, length <= limits.maxBodyBytes else {
                    return nil
                }
                bodyLength = length
            case .host:
                guard !hostSeen else { return nil }
                hostSeen = true
            case .connection:
                guard field.valueIsKeepAlive else { return nil }
            case .refused:
                return nil
            case .other:
                break
            }
        }
        let request = Request(headLength: scanner.at, bodyLength: bodyLength ?? 0)
        return request.totalLength <= bytes.count ? request : nil
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]

    private enum FieldName {
        case contentLength, host, connection, refused, other

        init(_ name: UnsafeRawBufferPointer) {
            switch name.count {
            case 4 where name.equalsLowercased("host"): self = .host
            case 6 where name.equalsLowercased("expect"): self = .refused
            case 7 where name.equalsLowercased("upgrade"): self = .refused
            case 10 where name.equalsLowercased("connection"): self = .connection
            case 14 where name.equalsLowercased("content-length"): self = .contentLength
            case 17 where name.equalsLowercased("transfer-encoding"): self = .refused
            default: self = .other
            }
        }
    }

    private struct Field {
        let name: FieldName
        /// Without surrounding whitespace.
        let value: UnsafeRawBufferPointer

        var decimalValue: Int? {
            guard (1...9).contains(value.count), value.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }

        var valueIsKeepAlive: Bool { value.count == 10 && value.equalsLowercased("keep-alive") }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        /// Where the head must have ended.
        let end: Int
        var at = 0

        mutating func take(_ expected: [UInt8]) -> Bool {
            guard end - at >= expected.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[at + offset] != byte { return false }
            at += expected.count
            return true
        }

        /// An optional `?query` of RFC 3986 query characters, percent escapes well formed.
        mutating func skipQuery() -> Bool {
            guard at < end, bytes[at] == UInt8(ascii: "?") else { return true }
            at += 1
            while at < end, bytes[at] != UInt8(ascii: " ") {
                let byte = bytes[at]
                if byte == UInt8(ascii: "%") {
                    guard end - at >= 3, bytes[at + 1].isHexDigit, bytes[at + 2].isHexDigit else { return false }
                    at += 3
                } else {
                    guard byte.isQueryCharacter else { return false }
                    at += 1
                }
            }
            return true
        }

        /// `name: value\r\n`, the name a token, the value visible ASCII, spaces and tabs.
        mutating func field() -> Field? {
            let nameStart = at
            while at < end, bytes[at].isTokenCharacter { at += 1 }
            guard at > nameStart, at < end, bytes[at] == UInt8(ascii: ":") else { return nil }
            let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<at])
            at += 1
            while at < end, bytes[at].isFieldSpace { at += 1 }
            let valueStart = at
            while at < end, bytes[at].isFieldValueCharacter { at += 1 }
            var valueEnd = at
            guard take(crlf) else { return nil }
            while valueEnd > valueStart, bytes[valueEnd - 1].isFieldSpace { valueEnd -= 1 }
            return Field(name: FieldName(name), value: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
        }
    }
}

extension UnsafeRawBufferPointer {
    /// ASCII case-insensitive comparison with a lowercase literal of the same length.
    fileprivate func equalsLowercased(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: count)
        for index in 0..<count {
            let byte = self[index]
            let folded = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if folded != expected[index] { return false }
        }
        return true
    }
}

extension UInt8 {
    fileprivate var isFieldSpace: Bool { self == 0x20 || self == 0x09 }
    fileprivate var isFieldValueCharacter: Bool { (0x20...0x7E).contains(self) || self == 0x09 }
    fileprivate var isAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
    /// RFC 9110 tchar.
    fileprivate var isTokenCharacter: Bool { ASCIIClasses.token[Int(self)] }
    /// RFC 3986 unreserved, sub-delims, ":", "@", "/", "?" (percent escapes apart).
    fileprivate var isQueryCharacter: Bool { ASCIIClasses.query[Int(self)] }
}

private enum ASCIIClasses {
    static let token = table(extra: "!#$%&'*+-.^_`|~")
    static let query = table(extra: "-._~!$&'()*+,;=:@/?")

    private static func table(extra: String) -> [Bool] {
        (0...255).map { UInt8($0).isAlphanumeric || extra.utf8.contains(UInt8($0)) }
    }
}
