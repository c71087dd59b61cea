// Like the node it measures, the bench runs on Linux only (kill(2) for signals, the node's flock and file modes).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
