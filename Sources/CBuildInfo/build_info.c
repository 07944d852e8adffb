#include "build_info.h"

// A C macro is the one value SwiftPM lets a build command set without editing a source file, so the
// commit reaches the binaries without leaving the working tree dirty.
#ifndef RD_BUILD_COMMIT
#define RD_BUILD_COMMIT "unknown"
#endif

const char *rd_build_commit(void) { return RD_BUILD_COMMIT; }
