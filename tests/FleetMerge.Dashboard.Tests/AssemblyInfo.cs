// Like the node: Linux only (signals, Debian's chromium).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
