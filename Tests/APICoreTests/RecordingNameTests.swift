import APICore
import Testing

@Suite struct RecordingNameTests {
    @Test(arguments: [
        "incoming_123456789_20260101120000123_display0_vp9.webm",
        "outgoing_abc-def_20260101120000123_camera1_h264.mp4",
        "s123456789_20240101120000_VP9.webm",
    ])
    func acceptsTheNamesClientsMake(_ name: String) {
        #expect(RecordingName(name)?.text == name)
    }

    @Test(arguments: [
        "", "../x.webm", "a/b.webm", "/etc/passwd.webm", "..webm", ".hidden.webm", "a..b.webm", "x.txt", "x.webm.txt",
        ".webm", "x\u{0}.webm", "x .webm", "x%2F.webm", "ä.webm", String(repeating: "a", count: 252) + ".webm",
    ])
    func refusesAnythingButAPlainRecordingName(_ name: String) {
        #expect(RecordingName(name) == nil)
    }

    @Test func acceptsTheLongestName() {
        let name = String(repeating: "a", count: 250) + ".webm"
        #expect(RecordingName(name)?.text == name)
    }
}
