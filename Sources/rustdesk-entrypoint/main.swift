import ContainerEntry
import Foundation

// The kit does the work; this file only connects it to the process's arguments, environment and exit status.
exit(
    ContainerEntrypoint().run(
        Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
