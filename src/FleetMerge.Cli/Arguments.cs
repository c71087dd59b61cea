using System.Globalization;
using FleetMerge.Storage;
using FleetMerge.Storage.Format;

namespace FleetMerge.Cli;

/// <summary>Parsing of values the grammar leaves as text (sizes with suffixes, bytes).</summary>
public static class Arguments
{
    public static long Size(string? text, string option)
    {
        if (text is null) throw new BadRequestException($"{option} is required");
        try { return Units.ParseSize(text); }
        catch (BadRequestException e) { throw new BadRequestException($"{option}: {e.Message}"); }
    }

    public static byte Byte(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (uint.TryParse(hex ? text[2..] : text, hex ? NumberStyles.HexNumber : NumberStyles.None,
                CultureInfo.InvariantCulture, out uint v) && v <= 255)
            return (byte)v;
        throw new BadRequestException($"--byte: '{text}' is not a byte value 0..255 (or 0x00..0xff)");
    }
}
