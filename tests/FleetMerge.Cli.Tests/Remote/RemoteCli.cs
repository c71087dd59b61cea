using System.Diagnostics;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>
/// Runs the real `fleetmerge` against a node, as <see cref="CliProcess"/> does, but with a clean
/// FLEETMERGE_* environment (none inherited from the machine) plus what a test sets.
/// </summary>
public sealed class RemoteCli : IDisposable
{
    private readonly TempDir dir = new();

    public RemoteCli(FakeNode? node)
    {
        Node = node;
        System.IO.File.WriteAllText(TokenFile, FakeNode.Token + "\n");
    }

    public FakeNode? Node { get; }
    public string Dir => dir.Path;
    public string TokenFile => dir.File("api-token");
    public string File(string name) => dir.File(name);

    /// <summary>`fleetmerge ARGS --node URL --token-file FILE`.</summary>
    public CliProcess.Result Run(params string[] args) =>
        RunWith(new Dictionary<string, string?>(), [.. args, "--node", Node!.Url, "--token-file", TokenFile]);

    /// <summary>`fleetmerge ARGS` exactly, with these environment variables.</summary>
    public CliProcess.Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string key in psi.Environment.Keys.Where(k => k.StartsWith("FLEETMERGE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        psi.ArgumentList.Add(CliProcess.Dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fleetmerge {string.Join(' ', args)} did not finish");
        }
        return new CliProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static void AssertOneLineError(CliProcess.Result r, int exitCode, params string[] mentions)
    {
        Assert.True(exitCode == r.ExitCode, $"exit {r.ExitCode}, expected {exitCode}; stderr: {r.Stderr}; stdout: {r.Stdout}");
        Assert.Single(r.StderrLines);
        Assert.StartsWith("fleetmerge: ", r.StderrLines[0]);
        foreach (string m in mentions) Assert.Contains(m, r.StderrLines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    public static void AssertOk(CliProcess.Result r)
    {
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}; stderr: {r.Stderr}; stdout: {r.Stdout}");
        Assert.Equal("", r.Stderr);
    }

    public void Dispose() => dir.Dispose();
}
