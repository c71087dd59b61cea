namespace FleetMerge.Storage.Groups;

/// <summary>
/// A consumer's hold on an active volume (a mounted filesystem, later a network block client):
/// it counts in the volume's open count until disposed, and its I/O goes to whatever device
/// serves the volume at that moment (the origin, the merging origin, or a snapshot).
/// </summary>
public sealed class VolumeSession : IDisposable
{
    private readonly VolumeGroup group;
    private readonly LiveVolume volume;
    private int disposed;

    internal VolumeSession(VolumeGroup group, LiveVolume volume, string name, string uuid, long length)
    {
        this.group = group;
        this.volume = volume;
        Name = name;
        Uuid = uuid;
        Length = length;
    }

    /// <summary>The volume's name when the session was opened.</summary>
    public string Name { get; }

    public string Uuid { get; }

    /// <summary>Bytes on the device: the origin's size, for a snapshot too.</summary>
    public long Length { get; }

    public void Read(long offset, Span<byte> buffer) => Device().Read(offset, buffer);

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        var device = Device();
        try { device.Write(offset, data); }
        catch (MergeRuleException) when (volume.Device is { } now && now != device)
        {
            // A namesnapshot merge started between picking the snapshot device and writing: the
            // snapshot now refuses writes, and its data is served by the merging origin. Retry there.
            now.Write(offset, data);
        }
    }

    public void Flush() => Device().Flush();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) group.Close(volume);
    }

    private IVolumeDevice Device()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        return volume.Device ?? throw new VolumeInactiveException($"{Name} is no longer active");
    }
}
