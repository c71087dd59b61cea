using FleetMerge.Storage;
using FleetMerge.Storage.Format;

namespace FleetMerge.Cli.Campaign;

/// <summary>Option values the campaign and policy palettes read the same way.</summary>
public static class CampaignPaletteShared
{
    /// <summary>"vg0/root,vg0/home" → ["vg0/root", "vg0/home"]; each must be VG/LV.</summary>
    public static IReadOnlyList<string> Volumes(string? text)
    {
        var volumes = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string v in volumes)
            if (v.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
                throw new BadRequestException($"--volumes: '{v}' is not VG/LV");
        return volumes;
    }

    /// <summary>--chunk-size as bytes (4K, 64K), or null for the node's default.</summary>
    public static int? ChunkBytes(string? text) => text is null ? null : checked((int)Units.ParseSize(text));
}
