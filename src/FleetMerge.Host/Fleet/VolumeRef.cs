namespace FleetMerge.Host.Fleet;

/// <summary>A volume named as steps name them: "VG/LV".</summary>
public readonly record struct VolumeRef(string Vg, string Lv)
{
    public static bool TryParse(string? text, out VolumeRef volume)
    {
        volume = default;
        string[] parts = (text ?? "").Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        volume = new VolumeRef(parts[0], parts[1]);
        return true;
    }

    public override string ToString() => $"{Vg}/{Lv}";
}
