namespace FleetMerge.Bench.Processes;

/// <summary>
/// The real executables the node figures run: <c>dotnet fleetmerge-node.dll</c> and
/// <c>dotnet fleetmerge.dll</c>, from their own build outputs (ops/bench.sh builds both and sets
/// FLEETMERGE_NODE_DLL / FLEETMERGE_CLI_DLL), so they run exactly as ops/node.sh and ops/fleetmerge run them.
/// </summary>
public static class Binaries
{
    public static string NodeDll { get; } = Locate("FLEETMERGE_NODE_DLL", "FleetMerge.Node", "fleetmerge-node.dll");

    public static string CliDll { get; } = Locate("FLEETMERGE_CLI_DLL", "FleetMerge.Cli", "fleetmerge.dll");

    /// <summary>The dotnet host this bench runs under (the same runtime for every child).</summary>
    public static string DotnetHost { get; } =
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";

    private static string Locate(string variable, string project, string dll)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new FileNotFoundException($"{variable}={given}: no such file");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", project, "bin", "Release", "net10.0", dll);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{dll} not found: build src/{project} -c Release or set {variable}");
    }
}
