import Testing

@testable import APICore

/// The SMTP reply grammar (RFC 5321 §4.2) as `SMTPReplyReader` reads it: multi-line replies, replies
/// split anywhere across reads, and the bounds that stop a broken or hostile server.
@Suite struct SMTPReplyReaderTests {
    @Test func aMultiLineReplyEndsAtTheLineWithASpace() throws {
        var reader = SMTPReplyReader()
        let replies = try reader.feed(Array("250-mail.example\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 1000\r\n".utf8))
        #expect(replies == [SMTPReply(code: 250, lines: ["mail.example", "AUTH PLAIN LOGIN", "SIZE 1000"])])
    }

    @Test(arguments: [1, 2, 3, 7])
    func repliesSplitAcrossReadsComeOutWhole(chunk: Int) throws {
        let wire = Array("220 ready\r\n250-a\r\n250 b\n354 go ahead\r\n".utf8)
        var reader = SMTPReplyReader()
        var replies: [SMTPReply] = []
        for start in stride(from: 0, to: wire.count, by: chunk) {
            replies += try reader.feed(wire[start..<min(start + chunk, wire.count)])
        }
        #expect(replies.map(\.code) == [220, 250, 354])
        #expect(replies[1].lines == ["a", "b"])
    }

    @Test func aBareCodeIsAReply() throws {
        var reader = SMTPReplyReader()
        #expect(try reader.feed(Array("250\r\n".utf8)) == [SMTPReply(code: 250, lines: [""])])
    }

    @Test(arguments: ["hello\r\n", "25 ok\r\n", "250+ok\r\n", "250-a\r\n251 b\r\n"])
    func malformedRepliesAreProtocolErrors(wire: String) {
        var reader = SMTPReplyReader()
        #expect(throws: MailFailure.self) { try reader.feed(Array(wire.utf8)) }
    }

    @Test func anEndlessLineIsRefusedOnceItPassesTheBound() {
        var reader = SMTPReplyReader()
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: SMTPReplyReader.maximumLineBytes + 1)
        #expect(throws: MailFailure.protocolError("reply line too long")) { try reader.feed(long) }
    }

    @Test func anEndlessReplyIsRefusedOnceItPassesTheBound() {
        var reader = SMTPReplyReader()
        let lines = String(repeating: "250-x\r\n", count: SMTPReplyReader.maximumLines + 1)
        #expect(throws: MailFailure.protocolError("reply has too many lines")) { try reader.feed(Array(lines.utf8)) }
    }
}

@Suite struct SMTPDotStuffingTests {
    @Test(
        arguments: [
            ("a\r\n.b\r\n", "a\r\n..b\r\n.\r\n"),
            (".\r\n", "..\r\n.\r\n"),
            ("x\n.\ny", "x\r\n..\r\ny\r\n.\r\n"),
            ("a\rb", "a\r\nb\r\n.\r\n"),
            ("no dot. here.\r\n", "no dot. here.\r\n.\r\n"),
            ("", ".\r\n"),
        ])
    func linesStartingWithADotGetAnotherAndLineEndsBecomeCRLF(message: String, payload: String) {
        #expect(String(decoding: SMTPDotStuffing.payload(Array(message.utf8)), as: UTF8.self) == payload)
    }
}

@Suite struct MailMessageTests {
    let base = MailMessage(from: "hbbs@example.com", to: "erin@example.com", subject: "Hi", text: "line\n.dot")

    @Test func rendersHeadersAndCRLFBody() throws {
        let text = String(decoding: try base.rendered(date: "D", messageID: "1@example.com"), as: UTF8.self)
        #expect(text.hasPrefix("From: <hbbs@example.com>\r\nTo: <erin@example.com>\r\nSubject: Hi\r\nDate: D\r\n"))
        #expect(text.contains("Content-Transfer-Encoding: 7bit\r\n\r\nline\r\n.dot\r\n"))
    }

    @Test(arguments: [
        "Hi\r\nBcc: victim@example.com", "Hi\nX: y", "Hi\rX: y",
    ])
    func aLineBreakInAHeaderValueIsRefused(subject: String) {
        var message = base
        message.subject = subject
        #expect(throws: MailFailure.headerInjection) { try message.rendered(date: "D", messageID: "1@x") }
        message = base
        message.to = "erin@example.com\r\nRCPT TO:<x@y>"
        #expect(throws: MailFailure.headerInjection) { try message.rendered(date: "D", messageID: "1@x") }
    }

    @Test(arguments: ["erin", "erin@", "@example.com", "a b@example.com", "<a@b>", "a@b,c@d"])
    func notAnAddress(address: String) {
        #expect(!MailMessage.isAddress(address))
    }

    @Test func nonASCIITravelsAsBase64AndEncodedWords() throws {
        let message = MailMessage(from: "a@example.com", to: "b@example.com", subject: "Grüße", text: "Jürgen")
        let text = String(decoding: try message.rendered(date: "D", messageID: "1@x"), as: UTF8.self)
        #expect(text.contains("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"))
        #expect(text.contains("Content-Transfer-Encoding: base64\r\n\r\nSsO8cmdlbg==\r\n"))
    }

    @Test func theDateHeaderIsRFC5322() {
        #expect(MailDate.format(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.format(1_796_393_967) == "Fri, 04 Dec 2026 14:19:27 +0000")
        #expect(MailDate.readable(1_796_393_967) == "2026-12-04 14:19 UTC")
    }
}
