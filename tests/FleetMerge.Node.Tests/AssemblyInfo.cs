// Like the node: Linux only (flock, Unix file modes, signals).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
