using System.Diagnostics;

namespace FleetMerge.Bench;

/// <summary>Progress lines on stderr (stdout carries BenchmarkDotNet's log and the figures).</summary>
public static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Say(string line) => Console.Error.WriteLine($"bench [{Clock.Elapsed:mm\\:ss}] {line}");
}
