using System.Diagnostics;

namespace FleetMerge.Torture.Cli;

/// <summary>
/// A small tmpfs mounted on a trial's directory (we run as root), so that a write can run out of
/// space at a chosen point: unmounted on dispose, whatever happened.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string dir) => Dir = dir;

    public string Dir { get; }

    /// <summary>Mounts <paramref name="kib"/> KiB at DIR (created); throws one line when mount is refused.</summary>
    public static Tmpfs Mount(string dir, long kib)
    {
        Directory.CreateDirectory(dir);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kib}k", "tmpfs", dir);
        if (code != 0)
            throw new InvalidOperationException($"cannot mount a tmpfs on {dir} (the disk-full scenarios need root): {output.Trim().ReplaceLineEndings(" | ")}");
        return new Tmpfs(dir);
    }

    /// <summary>Bytes a new file can still take here.</summary>
    public long Free => new DriveInfo(Dir).AvailableFreeSpace;

    /// <summary>Takes <paramref name="bytes"/> of the space with a file of real (not sparse) blocks; deleting it frees them.</summary>
    public string Fill(long bytes)
    {
        string path = Path.Combine(Dir, "filler");
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        var block = new byte[64 << 10];
        Array.Fill(block, (byte)0xf1);
        for (long at = 0; at < bytes; at += block.Length)
            RandomAccess.Write(file, block.AsSpan(0, (int)Math.Min(block.Length, bytes - at)), at);
        return path;
    }

    /// <summary>Unmounts whatever tmpfs is still mounted under <paramref name="dir"/> (a scenario's tear-down; never throws).</summary>
    public static void UnmountAllUnder(string dir)
    {
        try
        {
            string prefix = Path.GetFullPath(dir).TrimEnd('/') + "/";
            foreach (string line in File.ReadAllLines("/proc/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 2 && fields[2] == "tmpfs" && fields[1].StartsWith(prefix, StringComparison.Ordinal))
                    new Tmpfs(fields[1]).Dispose();
            }
        }
        catch (IOException) { }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        var (code, _) = Run("umount", Dir);
        if (code != 0) Run("umount", "-l", Dir); // a file still open: detach now, free when closed
    }

    private static (int Code, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
