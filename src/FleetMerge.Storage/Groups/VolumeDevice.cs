using FleetMerge.Storage.Volumes;

namespace FleetMerge.Storage.Groups;

/// <summary>The engine device a session's I/O goes to: the origin (merging or not) or a snapshot.</summary>
internal interface IVolumeDevice
{
    void Read(long offset, Span<byte> buffer);
    void Write(long offset, ReadOnlySpan<byte> data);
    void Flush();
}

internal sealed class OriginDevice(Origin origin) : IVolumeDevice
{
    public void Read(long offset, Span<byte> buffer) => origin.Read(offset, buffer);
    public void Write(long offset, ReadOnlySpan<byte> data) => origin.Write(offset, data);
    public void Flush() => origin.Flush();
}

internal sealed class SnapshotDevice(Snapshot snapshot) : IVolumeDevice
{
    public void Read(long offset, Span<byte> buffer) => snapshot.Read(offset, buffer);
    public void Write(long offset, ReadOnlySpan<byte> data) => snapshot.Write(offset, data);

    // Snapshot writes land in the COW only; new exceptions are already durable, rewrites of old ones are not.
    public void Flush() => snapshot.Store.Flush();
}
