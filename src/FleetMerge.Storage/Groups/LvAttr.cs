namespace FleetMerge.Storage.Groups;

/// <summary>
/// lv_attr, ten characters, modelled loosely on LVM's (lvs(8)). Layout:
/// <code>
///  1 type         '-' plain volume (origin without snapshots), 'o' origin, 'O' origin with a merge
///                 requested (pending or started, as LVM's merging origin), 's' snapshot, 'S' snapshot
///                 with a merge requested
///  2 permissions  'w' (every volume is writable)
///  3 allocation   'i' inherited (no allocation policies here)
///  4 fixed minor  '-' (every minor here is persistent, so the bit would say nothing)
///  5 state        '-' inactive, 'a' active, 'I' invalid snapshot, 'm' merge failed (shown on the
///                 origin as LVM does, and on the merging snapshot)
///  6 open         'o' open (at least one session), '-'
///  7 target       's' snapshot machinery (origin with snapshots, snapshot), '-' plain
///  8-10           '-' (zeroing, health, skip activation: no equivalent)
/// </code>
/// So a merging, open origin reads "Owi-aos---" and its snapshot "Swi-a-s---" (reference §11).
/// </summary>
public static class LvAttr
{
    public static string Of(VolumeFacts f)
    {
        bool snapshot = f.Volume.Kind == VolumeKind.Snapshot;
        char type = snapshot
            ? (f.MergeRequested ? 'S' : 's')
            : f.MergeRequested ? 'O' : f.HasSnapshots ? 'o' : '-';
        char state = !f.Active ? '-' : f.MergeFailed ? 'm' : f.Invalid ? 'I' : 'a';
        char open = f.OpenCount > 0 ? 'o' : '-';
        char target = snapshot || f.HasSnapshots ? 's' : '-';
        return new string([type, 'w', 'i', '-', state, open, target, '-', '-', '-']);
    }
}
