/// The address books read device names from the directory: what the last sysinfo reported, in memory.
extension DeviceDirectory: DeviceNames {
    public func names(ofDevice id: String) -> PeerNames? {
        guard let names = entry(id)?.names, !names.isEmpty else { return nil }
        return names
    }
}
