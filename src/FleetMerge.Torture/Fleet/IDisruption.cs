namespace FleetMerge.Torture.Fleet;

/// <summary>
/// What goes wrong in the middle of a campaign: it strikes (SIGKILL of a node, the fleet journal's
/// server stopped), waits a random pause, and puts things back (the node started again on its data
/// directory, the server started again). Returns one line saying what it did, for the trial's log.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public interface IDisruption
{
    Task<string> StrikeAndRecoverAsync(TortureCluster cluster, Random random, Action<string> log);
}
