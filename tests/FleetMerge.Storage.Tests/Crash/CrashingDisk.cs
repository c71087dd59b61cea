using FleetMerge.Storage.IO;

namespace FleetMerge.Storage.Tests.Crash;

/// <summary>What a power failure does to writes that no flush of their file has covered yet.</summary>
public enum LossModel
{
    /// <summary>Every write that completed before the crash survives (a disk without a volatile cache).</summary>
    KeepUnflushed,

    /// <summary>
    /// A write survives only if a flush of the same file completed after it (a volatile write cache
    /// that loses everything not flushed).
    /// </summary>
    DropUnflushed,

    /// <summary>
    /// A volatile write cache that reached the media out of order: of the writes no flush has covered,
    /// only the newest one of each file survived. A legal outcome on any disk with a write cache
    /// (and for files in the page cache before fsync returns); only PREFLUSH/FUA order writes.
    /// </summary>
    NewestUnflushedOnly,

    /// <summary>
    /// A volatile write cache that wrote back an arbitrary part of itself: each write no flush has covered
    /// survives or not, at random per write (<see cref="CrashPlan.Chooser"/>); any subset is a legal outcome.
    /// Survivors land oldest first, so where two overlap the newer one wins.
    /// </summary>
    RandomUnflushed,
}

/// <summary>The "power failed" error: every Write, Flush (and Read) from the crash point on throws it.</summary>
public sealed class SimulatedCrash(string message) : IOException(message);

/// <summary>
/// Counts the Write and Flush operations of every file of one <see cref="CrashingDisk"/> in one global
/// order (1, 2, 3 …). Operation number <see cref="CrashAt"/> is where the power fails: it and every later
/// operation throw <see cref="SimulatedCrash"/> and change nothing.
/// </summary>
public sealed class CrashPlan(long crashAt, LossModel model, int lossSeed = 0, bool tearInFlight = false)
{
    private readonly object gate = new();
    private long operations;

    /// <summary>Decides which unflushed writes survive (<see cref="LossModel.RandomUnflushed"/>) and how far a torn write got.</summary>
    internal Random Chooser { get; } = new(lossSeed);

    /// <summary>
    /// The write in flight when the power fails is torn: a random prefix of its 512-byte sectors (none to
    /// all) reaches the media, the rest does not. Never less than a sector: a disk writes a sector atomically
    /// (its ECC covers the whole sector, so a half-written one reads back as an I/O error, never as a mix),
    /// and the kernel's own format relies on it: dm-snapshot rewrites a whole metadata area to add one
    /// 16-byte entry, and a mix of old and new bytes inside a sector could cut an entry in half. A tear
    /// inside a sector is damage no on-disk format survives, not a power loss.
    /// </summary>
    public bool TearInFlight { get; } = tearInFlight;

    /// <summary>A plan that never crashes: run it to count the operations of a scenario.</summary>
    public static CrashPlan Never(LossModel model = LossModel.KeepUnflushed) => new(long.MaxValue, model);

    public long CrashAt { get; } = crashAt;
    public LossModel Model { get; } = model;

    /// <summary>Operations attempted so far, the crashing one included.</summary>
    public long Operations { get { lock (gate) return operations; } }

    /// <summary>True once operation <see cref="CrashAt"/> has been attempted.</summary>
    public bool Crashed { get { lock (gate) return operations >= CrashAt; } }

    /// <summary>What the crashing operation was (file and kind), for messages.</summary>
    public string? CrashedOperation { get; private set; }

    internal object Gate => gate;

    /// <summary>True when the next operation is the one the power fails at. Caller holds <see cref="Gate"/>.</summary>
    internal bool NextIsCrash => operations + 1 == CrashAt;

    /// <summary>Which pending write survives under <see cref="LossModel.RandomUnflushed"/>. Caller holds <see cref="Gate"/>.</summary>
    internal bool Survives() => Chooser.Next(2) == 0;

    /// <summary>How many of a torn write's sectors reach the media: 0 to all. Caller holds <see cref="Gate"/>.</summary>
    internal int TornSectors(int sectors) => Chooser.Next(sectors + 1);

    /// <summary>
    /// Numbers one operation (a write of <paramref name="length"/> bytes at <paramref name="offset"/>, or a
    /// flush when <paramref name="length"/> is -1); throws if the power is (or just went) off.
    /// Caller holds <see cref="Gate"/>.
    /// </summary>
    internal void Begin(string file, long offset, int length)
    {
        if (operations >= CrashAt)
            throw new SimulatedCrash($"{file}: {What(offset, length)} after the power failed (crash at operation {CrashAt})");
        operations++;
        if (operations == CrashAt)
        {
            CrashedOperation = $"{file}: {What(offset, length)}";
            throw new SimulatedCrash($"{file}: power failed at operation {CrashAt} ({What(offset, length)})");
        }
    }

    private static string What(long offset, int length) => length < 0 ? "flush" : $"write {length} bytes at {offset}";

    /// <summary>Reads are not counted, but nothing can be read once the power is off.</summary>
    internal void CheckPower(string file)
    {
        if (operations >= CrashAt)
            throw new SimulatedCrash($"{file}: read after the power failed (crash at operation {CrashAt})");
    }
}

/// <summary>
/// One in-memory device under a <see cref="CrashPlan"/>. Reads see every completed write (the volatile
/// image). For the loss models that lose writes, each write not yet covered by a flush of this file is
/// kept as pending (its range and the bytes it overwrote); a completed Flush of this file makes them all
/// durable. The durable image is the volatile image with the pending writes undone, newest first: the same
/// as keeping a second, durable image and applying the pending writes to it on flush, without copying the
/// device twice per crash run.
/// </summary>
public sealed class CrashingBlockFile : IBlockFile
{
    private readonly CrashPlan plan;
    private readonly byte[] image;
    private readonly bool tracksPending;
    private readonly List<(long Offset, int Length, int UndoAt)> pending = [];
    private byte[] undo = new byte[64 * 1024]; // old bytes of the pending writes, back to back
    private int undoUsed;
    private readonly bool keepsRedo;
    private byte[] redo = []; // new bytes of the pending writes, back to back, at the same places as undo
    private (long Offset, byte[] Data)? torn; // what reached the media of the write the power failed in

    internal CrashingBlockFile(CrashPlan plan, string name, byte[] image)
    {
        this.plan = plan;
        this.image = image;
        Name = name;
        tracksPending = plan.Model != LossModel.KeepUnflushed;
        keepsRedo = plan.Model == LossModel.RandomUnflushed;
    }

    /// <summary>The part of the write in flight at the crash that reached the media (torn writes only).</summary>
    public (long Offset, int Length)? Torn { get { lock (plan.Gate) return torn is { } t ? (t.Offset, t.Data.Length) : null; } }

    public string Name { get; }
    public long Length => image.LongLength;
    public bool Writable => true;

    /// <summary>Completed Write calls on this file.</summary>
    public int Writes { get; private set; }

    /// <summary>Completed Flush calls on this file.</summary>
    public int Flushes { get; private set; }

    /// <summary>Writes not yet covered by a flush (always 0 under <see cref="LossModel.KeepUnflushed"/>).</summary>
    public int PendingWrites { get { lock (plan.Gate) return pending.Count; } }

    public void Read(long offset, Span<byte> buffer)
    {
        CheckRange(offset, buffer.Length);
        lock (plan.Gate)
        {
            plan.CheckPower(Name);
            image.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        CheckRange(offset, data.Length);
        lock (plan.Gate)
        {
            if (plan.NextIsCrash && plan.TearInFlight)
            {
                // Whole device sectors from the start of the write; the first may begin before the write.
                long firstSector = offset / 512, endSector = (offset + data.Length + 511) / 512;
                int sectors = plan.TornSectors((int)(endSector - firstSector));
                long end = Math.Min(offset + data.Length, (firstSector + sectors) * 512);
                torn = (offset, data[..(int)Math.Max(0, end - offset)].ToArray());
            }
            plan.Begin(Name, offset, data.Length);
            var target = image.AsSpan((int)offset, data.Length);
            if (tracksPending)
            {
                if (undoUsed + data.Length > undo.Length)
                    Array.Resize(ref undo, Math.Max(undo.Length * 2, undoUsed + data.Length));
                if (keepsRedo)
                {
                    if (redo.Length < undo.Length) Array.Resize(ref redo, undo.Length);
                    data.CopyTo(redo.AsSpan(undoUsed));
                }
                target.CopyTo(undo.AsSpan(undoUsed));
                pending.Add((offset, data.Length, undoUsed));
                undoUsed += data.Length;
            }
            data.CopyTo(target);
            Writes++;
        }
    }

    public void Flush()
    {
        lock (plan.Gate)
        {
            plan.Begin(Name, 0, -1);
            pending.Clear();
            undoUsed = 0;
            Flushes++;
        }
    }

    /// <summary>
    /// The device as found after the reboot, per the plan's loss model: the pending writes are undone, newest
    /// first (under <see cref="LossModel.NewestUnflushedOnly"/> the newest one is then put back, under
    /// <see cref="LossModel.RandomUnflushed"/> a random subset is put back, oldest first); then what reached
    /// the media of a torn write lands on top. Works in place (the run is over); call once.
    /// </summary>
    internal byte[] AfterReboot()
    {
        lock (plan.Gate)
        {
            UndoPending();
            if (torn is { } t) t.Data.CopyTo(image.AsSpan((int)t.Offset));
            return image;
        }
    }

    private void UndoPending()
    {
        if (pending.Count == 0) return;
        var newest = pending[^1];
        byte[] newestBytes = image.AsSpan((int)newest.Offset, newest.Length).ToArray();
        for (int i = pending.Count - 1; i >= 0; i--)
        {
            var (offset, length, undoAt) = pending[i];
            undo.AsSpan(undoAt, length).CopyTo(image.AsSpan((int)offset));
        }
        if (plan.Model == LossModel.NewestUnflushedOnly)
            newestBytes.CopyTo(image.AsSpan((int)newest.Offset));
        if (plan.Model == LossModel.RandomUnflushed)
            foreach (var (offset, length, at) in pending)
                if (plan.Survives())
                    redo.AsSpan(at, length).CopyTo(image.AsSpan((int)offset));
        pending.Clear();
        undoUsed = 0;
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || offset + length > Length)
            throw new StorageException($"{Name}: I/O at byte {offset} length {length} beyond the end ({Length} bytes)");
    }

    public void Dispose() { }
}

/// <summary>Several devices (origin and COWs) that lose power together, under one <see cref="CrashPlan"/>.</summary>
public sealed class CrashingDisk(CrashPlan plan)
{
    private readonly List<CrashingBlockFile> files = [];

    public CrashPlan Plan { get; } = plan;

    public IReadOnlyList<CrashingBlockFile> Files => files;

    /// <summary>Adds a device whose contents are <paramref name="image"/> (used in place, not copied).</summary>
    public CrashingBlockFile Add(string name, byte[] image)
    {
        var file = new CrashingBlockFile(Plan, name, image);
        files.Add(file);
        return file;
    }

    /// <summary>The disk after the reboot: one image per file, in the order they were added.</summary>
    public byte[][] AfterReboot() => files.Select(f => f.AfterReboot()).ToArray();
}
