using System.Runtime.InteropServices;

namespace FleetMerge.Bench.Cpu;

/// <summary>
/// CPU time (user + system) of this process's finished children: getrusage(RUSAGE_CHILDREN),
/// which the kernel adds each child to when it is reaped (Process.WaitForExit has reaped it). The
/// difference around one child run, with nothing else exiting meanwhile, is that child's CPU, in
/// microseconds, from its start to its exit.
/// </summary>
public static class ChildrenCpu
{
    private const int RusageChildren = -1;

    public static TimeSpan Now()
    {
        if (GetRusage(RusageChildren, out var usage) != 0)
            throw new InvalidOperationException($"getrusage(RUSAGE_CHILDREN) failed (errno {Marshal.GetLastPInvokeError()})");
        return Seconds(usage.UserTime) + Seconds(usage.SystemTime);
    }

    private static TimeSpan Seconds(TimeVal t) => TimeSpan.FromMicroseconds(t.Seconds * 1_000_000 + t.Microseconds);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs this class does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public TimeVal UserTime;
        public TimeVal SystemTime;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, out Rusage usage);
}
