namespace FleetMerge.Torture.Fleet;

/// <summary>
/// The fleet journal's PostgreSQL goes away for 1 to 15 s: a fast shutdown (sessions ended
/// cleanly) or an immediate one (a crash: recovery from the WAL at the next start), then started again.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class JournalOutage(PrivatePostgres server) : IDisruption
{
    public async Task<string> StrikeAndRecoverAsync(TortureCluster cluster, Random random, Action<string> log)
    {
        bool immediate = random.Next(2) == 0;
        var pause = TimeSpan.FromMilliseconds(random.Next(1_000, 15_000));
        string how = immediate ? "immediate (a crash)" : "fast";
        log($"fleet journal server stopped, {how}; start again in {pause.TotalSeconds:F1} s");
        await server.StopAsync(immediate);
        await Task.Delay(pause);
        await server.StartAsync();
        log("fleet journal server started again");
        return $"journal server stopped {how} for {pause.TotalSeconds:F1} s";
    }
}
