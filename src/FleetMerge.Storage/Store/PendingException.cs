namespace FleetMerge.Storage.Store;

/// <summary>
/// An exception that has a COW chunk allocated but is not yet durable in the table.
/// Its life: allocated → copied (its data is in the COW) → durable (its entry is flushed).
/// </summary>
public sealed class PendingException(ulong oldChunk, ulong newChunk)
{
    public ulong OldChunk { get; } = oldChunk;
    public ulong NewChunk { get; } = newChunk;
    internal bool Copied { get; set; }
    internal bool Durable { get; set; }
}
