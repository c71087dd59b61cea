using System.Diagnostics;
using System.Reflection;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Settings;

namespace FleetMerge.Node.Startup;

/// <summary>Facts about this running node (a DI singleton): settings, persistence, start time, API address.</summary>
public sealed class NodeRuntime(NodeSettings settings, PersistenceTarget persistence, string apiToken, IReadOnlyList<string> hoconFiles)
{
    private readonly Stopwatch uptime = Stopwatch.StartNew();

    public NodeSettings Settings { get; } = settings;
    public PersistenceTarget Persistence { get; } = persistence;
    public IReadOnlyList<string> HoconFiles { get; } = hoconFiles;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public TimeSpan Uptime => uptime.Elapsed;

    /// <summary>The token every API request must carry.</summary>
    internal string ApiToken { get; } = apiToken;

    /// <summary>"http://127.0.0.1:7420" once Kestrel listens (the real port when --api-port 0).</summary>
    public string? ApiAddress { get; set; }

    public static string Version { get; } =
        typeof(NodeRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NodeRuntime).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
