import APICore
import Foundation
import Hummingbird

/// http-api.md §2: heartbeat, sysinfo and sysinfo_ver (device-scoped, no Authorization header; the
/// device proves itself with `id` + `uuid`).
struct DeviceRoutes {
    let devices: DeviceService

    /// A real sysinfo body is a few hundred bytes; its raw text is stored, so it is kept small.
    static let sysinfoLimit = 16 * 1024
    static let sysinfoUpdated = "SYSINFO_UPDATED"
    static let idNotFound = "ID_NOT_FOUND"

    func register(public router: RouterGroup<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        router.post("heartbeat") { request, _ in try await heartbeat(request) }
        router.group("sysinfo").add(middleware: BodyLimitMiddleware(limit: Self.sysinfoLimit))
            .post { request, _ in try await sysinfo(request) }
        router.post("sysinfo_ver") { _, _ in APIResponse.text(devices.sysinfoVersion) }
    }

    private func heartbeat(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(HeartbeatBody.self, from: request, limit: BodyLimit.json)
        return APIResponse.json(HeartbeatReply(answer: try await devices.heartbeat(body.heartbeat)))
    }

    private func sysinfo(_ request: Request) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.sysinfoLimit)
        } catch {
            throw APIFailure.tooLarge
        }
        let bytes = Data(buffer.readableBytesView)
        let body: SysinfoBody
        do {
            // Like `JSONBody`: an empty body is `{}` (and then names no device).
            let isBlank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            body = try JSONDecoder().decode(SysinfoBody.self, from: isBlank ? Data("{}".utf8) : bytes)
        } catch {
            throw APIFailure.malformedBody
        }
        var sysinfo = body.sysinfo
        sysinfo.raw = String(decoding: bytes, as: UTF8.self)
        let outcome = try await devices.uploadSysinfo(
            SysinfoUpload(id: body.id, uuid: body.uuid, sysinfo: sysinfo, presets: body.presets))
        switch outcome {
        case .updated: return APIResponse.text(Self.sysinfoUpdated)
        case .idNotFound: return APIResponse.text(Self.idNotFound)
        }
    }
}
