namespace FleetMerge.Torture.PowerLoss;

/// <summary>One step of a power-loss workload, run against the engine and replayed by the model.</summary>
public abstract record WorkStep;

/// <summary>A write through the origin (sector-aligned).</summary>
public sealed record OriginWrite(long Offset, byte[] Data) : WorkStep
{
    public override string ToString() => $"origin write {Data.Length} bytes at {Offset}";
}

/// <summary>A write through snapshot <see cref="Snapshot"/> (sector-aligned).</summary>
public sealed record SnapshotWrite(int Snapshot, long Offset, byte[] Data) : WorkStep
{
    public override string ToString() => $"snapshot {Snapshot} write {Data.Length} bytes at {Offset}";
}

/// <summary>A flush of the origin (while merging it also reaches the merging COW).</summary>
public sealed record OriginFlush : WorkStep
{
    public override string ToString() => "origin flush";
}

/// <summary>A flush of snapshot <see cref="Snapshot"/>'s COW.</summary>
public sealed record StoreFlush(int Snapshot) : WorkStep
{
    public override string ToString() => $"store {Snapshot} flush";
}
