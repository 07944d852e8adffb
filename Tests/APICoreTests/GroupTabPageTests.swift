import APICore
import Testing

/// `current` and `pageSize` from the query are clamped, so no value makes a huge or negative offset.
@Suite struct GroupTabPageTests {
    @Test(
        arguments: [
            (nil, nil, 1, 100), ("0", "0", 1, 1), ("-3", "-3", 1, 1), ("2", "1000000000", 2, 1000),
            ("99999999999999999999", "x", 1, 100), ("2000000", "30", 1_000_000, 30), (" 2", "30 ", 1, 100),
        ] as [(String?, String?, Int, Int)])
    func clamps(_ current: String?, _ pageSize: String?, _ expectedPage: Int, _ expectedSize: Int) {
        let page = PageRequest(current: current, pageSize: pageSize)
        #expect(page.current == expectedPage)
        #expect(page.size == expectedSize)
        #expect(page.offset == (expectedPage - 1) * expectedSize)
    }
}
