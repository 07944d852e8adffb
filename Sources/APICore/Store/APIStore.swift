/// Everything the API server keeps: one protocol per area, so each service asks only for its own.
public typealias APIStore = AccountStore & AuditStore & DeviceStore & AddressBookStore & APITokenStore
    & UserAdminStore & ConsoleAuditStore & UserGroupAdminStore & StrategyAdminStore
    & DeviceGroupAdminStore & DeviceAdminStore & AuditReadStore & PolicyStore & AddressBookAdminStore
    & InvitationStore
