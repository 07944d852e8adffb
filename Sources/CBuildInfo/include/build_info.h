#ifndef RD_BUILD_INFO_H
#define RD_BUILD_INFO_H

/// The commit the binary was built from: `scripts/package.sh` passes it with
/// `-Xcc -DRD_BUILD_COMMIT='"<commit>"'`; "unknown" in builds that do not.
const char *rd_build_commit(void);

#endif
