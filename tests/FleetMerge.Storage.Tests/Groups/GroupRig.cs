using FleetMerge.Storage.Groups;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Tests.Support;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// A volume group "vg0" in a temp directory, with the expected contents of volumes kept as byte
/// images so tests compare whole devices. <see cref="Restart"/> is a process restart (dispose
/// without finishing anything, load from the directory); <see cref="Reboot"/> deactivates first.
/// </summary>
internal sealed class GroupRig : IDisposable
{
    public const int K = 1024;
    private readonly TempDir temp = new();
    private readonly Func<IBlockFile, IBlockFile>? wrap;

    public GroupRig(Func<IBlockFile, IBlockFile>? wrap = null)
    {
        this.wrap = wrap;
        Vg = VolumeGroup.Create(Path, "vg0", wrap);
    }

    public string Path => System.IO.Path.Combine(temp.Path, "vg0");

    public VolumeGroup Vg { get; private set; }

    public void Restart()
    {
        Vg.Dispose();
        Vg = VolumeGroup.Load(Path, wrap);
    }

    public void Reboot()
    {
        Vg.DeactivateAll();
        Restart();
    }

    /// <summary>The volume files in the directory, sorted.</summary>
    public string[] VolumeFiles() => Directory.GetFiles(Path)
        .Select(f => System.IO.Path.GetFileName(f))
        .Where(f => f.EndsWith(".img") || f.EndsWith(".cow"))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public string FileIn(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deterministic data: the byte at device offset p depends on the seed and p.</summary>
    public static byte[] Pattern(byte seed, long offset, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            long p = offset + i;
            bytes[i] = (byte)(seed * 37 + p * 7 + (p >> 12) * 13);
        }
        return bytes;
    }

    /// <summary>Writes a pattern through the session and into the model image.</summary>
    public static void Write(VolumeSession session, byte[] model, byte seed, long offset, int length)
    {
        var data = Pattern(seed, offset, length);
        session.Write(offset, data);
        data.CopyTo(model, offset);
    }

    public static byte[] ReadAll(VolumeSession session)
    {
        var bytes = new byte[session.Length];
        session.Read(0, bytes);
        return bytes;
    }

    /// <summary>The whole volume, read through a short session.</summary>
    public byte[] ReadAll(string volume)
    {
        using var session = Vg.Open(volume);
        return ReadAll(session);
    }

    /// <summary>An active origin "root" of <paramref name="size"/> bytes filled with pattern 1; returns its model.</summary>
    public byte[] ActiveOrigin(string name = "root", int size = 256 * K)
    {
        Vg.CreateOrigin(name, size);
        Vg.Activate(name);
        var model = new byte[size];
        using var session = Vg.Open(name);
        Write(session, model, 1, 0, size);
        return model;
    }

    /// <summary>The "upgrade": pattern 2 over [0, 64K) and [128K, 160K) of the volume.</summary>
    public static void Upgrade(VolumeSession session, byte[] model, byte seed = 2)
    {
        Write(session, model, seed, 0, 64 * K);
        Write(session, model, seed, 128 * K, 32 * K);
    }

    public void Upgrade(string volume, byte[] model, byte seed = 2)
    {
        using var session = Vg.Open(volume);
        Upgrade(session, model, seed);
    }

    public void Dispose()
    {
        Vg.Dispose();
        temp.Dispose();
    }
}

/// <summary>A block file whose reads fail on demand: a transient I/O error.</summary>
internal sealed class FlakyBlockFile(IBlockFile inner) : IBlockFile
{
    private volatile bool failReads;

    public bool FailReads
    {
        get => failReads;
        set => failReads = value;
    }

    public string Name => inner.Name;
    public long Length => inner.Length;
    public bool Writable => inner.Writable;

    public void Read(long offset, Span<byte> buffer)
    {
        if (failReads) throw new IOException($"{Name}: injected read error at byte {offset}");
        inner.Read(offset, buffer);
    }

    public void Write(long offset, ReadOnlySpan<byte> data) => inner.Write(offset, data);
    public void Flush() => inner.Flush();
    public void Dispose() => inner.Dispose();
}
