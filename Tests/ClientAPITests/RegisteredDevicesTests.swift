import TestSupport
import Testing

/// The API's view of hbbs's registry: a device that registered over UDP is known with its uuid.
@Suite struct RegisteredDevicesTests {
    @Test func aDeviceRegisteredOverUDPMatchesItsBase64UUID() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let devices = server.api.services.devices
        #expect(devices.isRegistered(id: device.id))
        #expect(devices.matches(id: device.id, uuidBase64: device.uuidBase64))
        #expect(!devices.matches(id: device.id, uuidBase64: "d3Jvbmc="))
        #expect(!devices.matches(id: device.id, uuidBase64: "%%%"))
        #expect(!devices.matches(id: "nobody", uuidBase64: device.uuidBase64))
        #expect(devices.isOnline(id: device.id))
        await server.stop()
    }
}
