using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FleetMerge.Torture.Fleet;

/// <summary>
/// A PostgreSQL server of the journal-restart scenario's own (initdb and pg_ctl from Debian's
/// package, as ops/postgres.sh uses them), on a free port with its data under the scenario's
/// directory, so that stopping it touches nobody else. As root the server runs as the postgres user.
/// User, password and database: fleetmerge.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string data;
    private readonly string run;
    private readonly string log;

    private PrivatePostgres(string dir, int port)
    {
        bin = BinDir();
        data = Path.Combine(dir, "data");
        run = Path.Combine(dir, "run");
        log = Path.Combine(dir, "postgres.log");
        Port = port;
    }

    public int Port { get; }

    public string Url => $"Host=127.0.0.1;Port={Port};Database=fleetmerge;Username=fleetmerge;Password=fleetmerge";

    public static async Task<PrivatePostgres> StartAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        var server = new PrivatePostgres(dir, FreePort());
        if (IsRoot) await Command.RunAsync("chown", ["postgres:", dir]);
        await server.AsOwnerAsync("mkdir", "-p", server.data, server.run);
        await server.AsOwnerAsync(Path.Combine(server.bin, "initdb"), "-D", server.data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=peer", "--auth-host=scram-sha-256", "--no-sync");
        await server.StartAsync();
        await server.AsOwnerAsync(Path.Combine(server.bin, "psql"), "-h", server.run, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
            "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qAt",
            "-c", "CREATE ROLE fleetmerge LOGIN PASSWORD 'fleetmerge' CREATEDB", "-c", "CREATE DATABASE fleetmerge OWNER fleetmerge");
        return server;
    }

    /// <summary>pg_ctl start, waiting until it accepts connections.</summary>
    public Task StartAsync() => AsOwnerAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {run} -c fsync=off", "start");

    /// <summary>pg_ctl stop: <paramref name="immediate"/> is a crash (no checkpoint, recovery at the next start), else a fast shutdown.</summary>
    public Task StopAsync(bool immediate) => AsOwnerAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop");

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsOwnerAsync(string program, params string[] args) =>
        IsRoot ? Command.RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : Command.RunAsync(program, args);

    private static string BinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
              ?? throw new InvalidOperationException("no /usr/lib/postgresql/*/bin/initdb: run ops/postgres.sh start once (it installs PostgreSQL)")
            : throw new InvalidOperationException("no /usr/lib/postgresql: run ops/postgres.sh start once (it installs PostgreSQL)");

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(immediate: false); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already stopped (a trial's outage left it down) or never started.
        }
    }
}
