using System.Diagnostics;

namespace FleetMerge.Cli.Tests.Kernel;

/// <summary>Runs the repository's oracle scripts (tests/oracle), which boot the real Linux kernel in qemu.</summary>
public static class Oracle
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FleetMerge.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("FleetMerge.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Runs tests/oracle/SCRIPT with arguments; returns result.txt of OUTDIR as key/value lines.</summary>
    public static List<(string Key, string Value)> Run(string script, string outDir, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoRoot, "tests", "oracle", script));
        psi.ArgumentList.Add(outDir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in 5 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}\n{stdout.Result}");
        return File.ReadAllLines(Path.Combine(outDir, "result.txt"))
            .Where(l => l.Contains(' '))
            .Select(l => (l[..l.IndexOf(' ')], l[(l.IndexOf(' ') + 1)..]))
            .ToList();
    }

    public static string Value(this List<(string Key, string Value)> results, string key, string sub)
    {
        foreach (var (k, v) in results)
            if (k == key && v.StartsWith(sub + " ")) return v[(sub.Length + 1)..].Trim();
        throw new KeyNotFoundException($"no result '{key} {sub}' in: {string.Join("; ", results.Select(r => r.Key + " " + r.Value))}");
    }
}
