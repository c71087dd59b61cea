// The node runs on Linux (flock, Unix file modes, dm-snapshot's format); it makes no claim for Windows.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
