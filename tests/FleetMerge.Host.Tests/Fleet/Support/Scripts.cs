using FleetMerge.Host.Tests.Support;

namespace FleetMerge.Host.Tests.Fleet.Support;

/// <summary>Small shell scripts in a temp directory, run as real child processes by the hook tests.</summary>
public static class Scripts
{
    public static string Write(TempDir dir, string name, string body)
    {
        string path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>hooks.json in <paramref name="dataDirectory"/> with each hook running its script (and an optional timeout).</summary>
    public static void Hooks(string dataDirectory, params (string Name, string Script, string? Timeout)[] hooks)
    {
        var entries = hooks.Select(h =>
            $"\"{h.Name}\": {{\"command\": [\"/bin/sh\", \"{h.Script}\"]{(h.Timeout is null ? "" : $", \"timeout\": \"{h.Timeout}\"")}}}");
        File.WriteAllText(Path.Combine(dataDirectory, "hooks.json"), "{" + string.Join(",\n", entries) + "}");
    }

    /// <summary>True when the process is gone (or a zombie nobody has reaped yet).</summary>
    public static bool IsGone(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return true;
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] is 'Z' or 'X';
        }
        catch (IOException) { return true; }
    }
}
