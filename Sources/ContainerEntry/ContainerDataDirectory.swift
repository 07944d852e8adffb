/// The directory the servers run in (where keys, `db_v2.sqlite3` and `.env` live).
///
/// `/data` is the image's volume, as in rustdesk-server-s6. rustdesk/rustdesk-server's classic image worked in
/// `/root` and its documented compose file mounts the data there, so an install switching only the image name
/// keeps its keys: `/root` is used when it holds server data and `/data` does not.
public enum ContainerDataDirectory {
    public static let volume = "/data"
    public static let classic = "/root"
    static let markers = ["id_ed25519", "id_ed25519.pub", "db_v2.sqlite3"]

    public static func choose(fileExists: (String) -> Bool) -> String {
        func holdsData(_ directory: String) -> Bool { markers.contains { fileExists(directory + "/" + $0) } }
        return !holdsData(volume) && holdsData(classic) ? classic : volume
    }
}
