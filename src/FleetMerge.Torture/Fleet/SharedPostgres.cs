namespace FleetMerge.Torture.Fleet;

/// <summary>The PostgreSQL server of ops/postgres.sh (started if it is not running; never stopped here: others use it).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class SharedPostgres
{
    public static async Task<string> UrlAsync()
    {
        string script = Path.Combine(Repo(), "ops", "postgres.sh");
        await Command.RunAsync(script, ["start"], TimeSpan.FromMinutes(5));
        return (await Command.RunAsync(script, ["url"])).Trim();
    }

    /// <summary>The checkout: FLEETMERGE_REPO (ops/torture.sh sets it), else the nearest parent with ops/postgres.sh.</summary>
    public static string Repo()
    {
        if (Environment.GetEnvironmentVariable("FLEETMERGE_REPO") is { Length: > 0 } given) return given;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ops", "postgres.sh"))) return dir.FullName;
        throw new InvalidOperationException("ops/postgres.sh not found above the torture's binaries: set FLEETMERGE_REPO");
    }
}
