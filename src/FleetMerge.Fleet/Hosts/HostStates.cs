using FleetMerge.Protocol.Host;

namespace FleetMerge.Fleet.Hosts;

/// <summary>
/// What a host's volumes say about merges (HostView.State), read from the lv_attr column of its
/// `lvs` rows (FleetMerge.Storage.Groups.LvAttr): character 1 'O' is an origin with a merge
/// requested, character 5 is the state ('a' active, 'm' merge failed). When several volumes
/// disagree the worst wins: failed, then merging, then needs-reboot, then idle.
/// </summary>
public static class HostStates
{
    public const string Idle = "idle";
    public const string Merging = "merging";
    public const string NeedsReboot = "needs-reboot";
    public const string Failed = "failed";

    public static string Of(IReadOnlyList<LvRow> volumes)
    {
        bool merging = false, pending = false;
        foreach (var row in volumes)
        {
            if (row.Attr.Length < 5) continue;
            char type = row.Attr[0], state = row.Attr[4];
            if (state == 'm') return Failed;
            if (type != 'O') continue;
            // A requested merge that is not copying yet waits for the next activation (--onactivate).
            if (row.MergePercent is not null && state == 'a') merging = true;
            else pending = true;
        }
        return merging ? Merging : pending ? NeedsReboot : Idle;
    }
}
