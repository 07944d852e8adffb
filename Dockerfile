# For machines with a Docker engine: builds the release binaries in Swift's image, then the same image that
# scripts/package.sh builds and tests with podman (this last stage equals packaging/container/Containerfile).
#   docker build --build-arg RD_COMMIT=$(git describe --always --dirty) -t rustdesk-server-swift .
FROM swift:6.2-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libsodium-dev libsqlite3-dev pkg-config binutils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG RD_COMMIT=unknown
RUN RD_COMMIT=$RD_COMMIT SETUP_BUILD_ONLY=1 bash scripts/package.sh --no-debs --no-image \
    && bash scripts/build-image.sh --rootfs dist/bin /rootfs

FROM scratch
COPY --from=build /rootfs/ /
ENV PATH=/usr/bin
WORKDIR /data
VOLUME /data
# 21114 client API, 21115 NAT test, 21116 registration (tcp+udp), 21117 relay, 21118-21119 WebSocket.
EXPOSE 21114 21115 21116 21116/udp 21117 21118 21119
# The entrypoint starts as root only to hand /data to uid 10001 and drop root (ServiceAccount.swift).
ENTRYPOINT ["/usr/bin/rustdesk-entrypoint"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["/usr/bin/rustdesk-entrypoint", "healthcheck"]
STOPSIGNAL SIGTERM
LABEL org.opencontainers.image.title="rustdesk-server-swift" \
      org.opencontainers.image.description="RustDesk ID/rendezvous (hbbs) and relay (hbbr) servers in Swift" \
      org.opencontainers.image.licenses="Apache-2.0"
