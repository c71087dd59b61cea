// Like the engine: Linux only (flock, Unix file modes).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
