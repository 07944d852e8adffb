/// The lookups strategies.py's assignments need: objects by the guids the scripts send.
public protocol StrategyAdminStore: Sendable {
    /// The RustDesk ID of the device with this guid.
    func deviceID(guid: String) async throws(APIStoreError) -> String?
    func deviceGroup(guid: String) async throws(APIStoreError) -> DeviceGroup?
}
