using FleetMerge.Storage;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Cli.Node;

/// <summary>
/// <c>VG/LV</c> as LVM writes it (a leading <c>/dev/</c> is accepted too). Names follow LVM's
/// rules (<see cref="VolumeNames"/>, the ones the node applies), checked before anything is sent:
/// a malformed name is a usage error (exit 2), not a trip to the node.
/// </summary>
public readonly record struct VolumeRef(string Vg, string Lv)
{
    public override string ToString() => $"{Vg}/{Lv}";

    public static VolumeRef Parse(string text, string what = "VG/LV")
    {
        string s = text.StartsWith("/dev/", StringComparison.Ordinal) ? text["/dev/".Length..] : text;
        string[] parts = s.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new BadRequestException($"'{text}' is not {what} (a volume group and a logical volume, e.g. vg0/root)");
        return new VolumeRef(Group(parts[0]), Volume(parts[1]));
    }

    public static string Group(string name)
    {
        if (VolumeNames.GroupProblem(name) is { } problem) throw new BadRequestException($"invalid volume group name '{name}': {problem}");
        return name;
    }

    public static string Volume(string name)
    {
        if (VolumeNames.VolumeProblem(name) is { } problem) throw new BadRequestException($"invalid logical volume name '{name}': {problem}");
        return name;
    }
}
