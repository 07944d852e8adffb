/// A page of any list as the client pages it (http-api.md §0.5): `total`, an integer that is always
/// present (without it the client ignores `data`, correction 12), and the page's items.
struct PageBody<Item: Encodable>: Encodable {
    let total: Int
    let data: [Item]
}
