import APICore
import Hummingbird

/// The one router behind every door (design.md §8): the HTTP listener on PORT−2 and `HttpProxyRequest`
/// over the rendezvous port both hand their requests to the responder built here. Routes are grouped
/// by area, each group declaring its middleware: the body limit, and authentication for user-scoped
/// routes.
public enum ClientAPIRouter {
    public static func build(_ services: ClientAPIServices) -> some HTTPResponder<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: services.metrics))
        router.add(middleware: ErrorLoggingMiddleware())
        router.add(middleware: ClientAddressMiddleware(trustedProxies: services.trustedProxies))
        let api = router.group("api").add(middleware: BodyLimitMiddleware(limit: BodyLimit.json))
        let authentication = AuthenticationMiddleware(accounts: services.accounts, tokens: services.tokens)
        let authenticated = api.group().add(middleware: authentication)
        AccountRoutes(accounts: services.accounts, metrics: services.metrics).register(
            public: api, authenticated: authenticated)
        AuditRoutes(audit: services.audit).register(public: api, authenticated: authenticated)
        RecordRoutes(recordings: services.recordings).register(on: router)
        DeviceRoutes(devices: services.deviceService).register(public: api, authenticated: authenticated)
        AddressBookRoutes(
            books: services.addressBooks, administration: services.addressBookAdministration,
            authentication: authentication
        ).register(router: router, authenticated: authenticated)
        GroupRoutes(groupTab: services.deviceService.groupTab, userAdministration: services.userAdministration)
            .register(
                authenticated: authenticated)
        InvitationRoutes(invitations: services.invitations, publicURL: services.publicURL).register(
            public: api, authenticated: authenticated)
        TOTPRoutes(users: services.userAdministration, accounts: services.accounts).register(
            public: api, authenticated: authenticated)
        TokenRoutes(tokens: services.tokens).register(authenticated: authenticated)
        AdminAuditRoutes(console: services.consoleAudit, log: services.auditLog).register(authenticated: authenticated)
        UserGroupRoutes(groups: services.userGroupAdministration).register(authenticated: authenticated)
        StrategyRoutes(strategies: services.strategyAdministration).register(authenticated: authenticated)
        DeviceGroupRoutes(groups: services.deviceGroupAdministration).register(authenticated: authenticated)
        AdminDeviceRoutes(devices: services.deviceAdministration).register(authenticated: authenticated)
        ProvisioningRoutes(devices: services.deviceAdministration).register(authenticated: authenticated)
        return router.buildResponder()
    }
}
