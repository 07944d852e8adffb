import RustDeskUtilsKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The kit does the work; this file only connects it to the process's arguments and exit status.
exit(await RustDeskUtils().run(Array(CommandLine.arguments.dropFirst())))
