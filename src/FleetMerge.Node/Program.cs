using FleetMerge.Node.Settings;
using FleetMerge.Node.Startup;

// fleetmerge-node: see Settings/NodeCommandLine.cs for the options and Startup/NodeRunner.cs for the start-up.
var parsed = NodeCommandLine.BuildCommand().Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"fleetmerge-node: {string.Join("; ", parsed.Errors.Select(e => NodeCommandLine.OneLine(e.Message).TrimEnd('.')))} (see --help)");
    return NodeRunner.ExitUsage;
}
if (parsed.Action is not null)
    return parsed.Invoke(); // --help, --version

NodeSettings settings;
try { settings = NodeCommandLine.Resolve(parsed, Environment.GetEnvironmentVariable); }
catch (NodeUsageException e)
{
    Console.Error.WriteLine($"fleetmerge-node: {e.Message}");
    return NodeRunner.ExitUsage;
}
// A bad fault script or simulated size is a usage error, found before anything starts.
if (settings.SimulateHosts > 0)
{
    try { FleetMerge.Host.Fleet.Simulated.SimulatedFleet.Hosts(FleetMerge.Node.Actors.NodeActors.SimulatedFleetSettings(settings)); }
    catch (Exception e) when (e is FormatException or ArgumentException)
    {
        Console.Error.WriteLine($"fleetmerge-node: {e.Message}");
        return NodeRunner.ExitUsage;
    }
}
// stdout carries exactly one line, the ready line; anything else that writes to the console
// (Akka's own logger during shutdown, libraries) goes to stderr with the logs.
var stdout = Console.Out;
Console.SetOut(Console.Error);
return await NodeRunner.RunAsync(settings, stdout);
