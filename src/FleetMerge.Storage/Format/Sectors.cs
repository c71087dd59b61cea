namespace FleetMerge.Storage.Format;

/// <summary>Units of the block layer.</summary>
public static class Sectors
{
    public const int Size = 512;
    public const int Shift = 9;

    public static long ToBytes(long sectors) => sectors << Shift;
}
