#if canImport(Glibc)
    import Glibc
#endif

/// The unprivileged user the servers run as in the image (`rustdesk`, 10001:10001 in its /etc/passwd).
///
/// Why the entrypoint starts as root and switches, instead of an image `USER`: rustdesk-server's images run
/// as root, so an existing volume holds root-owned keys and `db_v2.sqlite3` that an unprivileged server could
/// not open. Started as root, the entrypoint hands the data directory to the service user (recursively,
/// only when its top is not already that user's, as systemd does for a `StateDirectory`) and drops root for
/// good before it runs anything. Started as another user (`--user`), it changes nothing.
public enum ServiceAccount {
    public static let userID: uid_t = 10001
    public static let groupID: gid_t = 10001

    /// Creates `directory` if needed and, when running as root, gives it to the service user and becomes
    /// that user. Returns whether it switched.
    public static func adopt(_ directory: String) throws(ContainerError) -> Bool {
        if mkdir(directory, 0o750) != 0, errno != EEXIST {
            throw .dataDirectory(path: directory, reason: describe(errno))
        }
        guard geteuid() == 0 else { return false }
        var status = stat()
        guard stat(directory, &status) == 0 else { throw .dataDirectory(path: directory, reason: describe(errno)) }
        if status.st_uid != userID || status.st_gid != groupID {
            try changeOwner(of: directory)
        }
        guard setgroups(0, nil) == 0 else { throw .privileges("setgroups: \(describe(errno))") }
        guard setgid(groupID) == 0 else { throw .privileges("setgid: \(describe(errno))") }
        guard setuid(userID) == 0 else { throw .privileges("setuid: \(describe(errno))") }
        // A process that can become root again has not dropped it.
        guard setuid(0) != 0 else { throw .privileges("root could be regained") }
        return true
    }

    /// `chown -R` without following links: a link in the volume is changed itself, never what it points to.
    private static func changeOwner(of path: String) throws(ContainerError) {
        guard lchown(path, userID, groupID) == 0 else {
            throw .dataDirectory(path: path, reason: "chown: \(describe(errno))")
        }
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { return }
        guard let stream = opendir(path) else { throw .dataDirectory(path: path, reason: describe(errno)) }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            try changeOwner(of: path + "/" + name)
        }
    }

    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
