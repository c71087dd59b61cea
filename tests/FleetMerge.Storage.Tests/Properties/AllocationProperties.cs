using System.Text;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Storage.Tests.Properties;

/// <summary>
/// A hand-written model of the kernel's persistent-store allocator (dm-snap-persistent.c
/// persistent_prepare_exception / skip_metadata, persistent_commit_exception, persistent_usage),
/// written from the format text only: no engine type is used.
/// </summary>
public sealed class KernelAllocatorModel(int chunkBytes, long cowBytes)
{
    private readonly Dictionary<ulong, ulong> map = [];
    private readonly List<(ulong Old, ulong New)> order = [];

    public int ChunkBytes { get; } = chunkBytes;
    public ulong ChunkSectors => (ulong)ChunkBytes / 512;
    public ulong EntriesPerArea => (ulong)ChunkBytes / 16;
    public ulong CowSectors { get; } = (ulong)cowBytes / 512;
    public ulong NextFree { get; private set; } = 2;
    public ulong CurrentArea { get; private set; }
    public ulong CurrentCommitted { get; private set; }
    public IReadOnlyDictionary<ulong, ulong> Map => map;
    public IReadOnlyList<(ulong Old, ulong New)> Order => order;

    /// <summary>First write of each chunk, ascending within the write, takes next_free.</summary>
    public void Write(long offset, int length)
    {
        ulong first = (ulong)offset / (ulong)ChunkBytes;
        ulong last = (ulong)(offset + length - 1) / (ulong)ChunkBytes;
        for (ulong c = first; c <= last; c++)
        {
            if (map.ContainsKey(c)) continue;
            if ((NextFree + 1) * ChunkSectors > CowSectors)
                throw new InvalidOperationException("the allocation model ran out of COW: the test sized it wrong");
            map[c] = NextFree;
            order.Add((c, NextFree));
            NextFree++;
            if (NextFree % (EntriesPerArea + 1) == 1) NextFree++; // that chunk is metadata area
            if (++CurrentCommitted == EntriesPerArea)
            {
                CurrentArea++;
                CurrentCommitted = 0;
            }
        }
    }

    public string StatusLine => $"{NextFree * ChunkSectors}/{CowSectors} {(CurrentArea + 2) * ChunkSectors}";
}

public enum AllocationStep { OriginWrite, SnapshotWrite, Reopen }

public sealed record AllocationScenario(int ChunkBytes, int OriginBytes, long CowBytes, (int Offset, int Length, AllocationStep Kind)[] Steps)
{
    public override string ToString()
    {
        var s = new StringBuilder($"chunk {ChunkBytes / 1024}K, origin {OriginBytes} B, cow {CowBytes} B, {Steps.Length} steps:");
        for (int i = 0; i < Steps.Length; i++) s.Append($"\n  #{i} {Describe(Steps[i])}");
        return s.ToString();
    }

    public static string Describe((int Offset, int Length, AllocationStep Kind) step) => step.Kind switch
    {
        AllocationStep.OriginWrite => $"origin.Write({step.Offset}, {step.Length})",
        AllocationStep.SnapshotWrite => $"snap.Write({step.Offset}, {step.Length})",
        _ => "reopen",
    };
}

/// <summary>
/// Property 2: the exception table maps origin chunks to COW chunks in exactly the kernel
/// allocator's order, and the status line is the kernel's, after every write and after reopen.
/// </summary>
public class AllocationProperties
{
    private static Gen<AllocationScenario> Scenarios(bool snapshotWrites) =>
        from chunk in StorageGen.Chunk
        let perArea = chunk / 16
        // 4K and 8K chunks get origins of up to two metadata areas' worth of chunks, so tables
        // cross area boundaries; bigger chunks stay small.
        from chunks in chunk <= 8192 ? Gen.Choose(perArea / 2, 2 * perArea) : Gen.Choose(4, 300)
        from trim in Gen.Elements(0, 0, 512, 1536)
        let originBytes = Math.Max(512, chunks * chunk - Math.Min(trim, chunk - 512))
        from extraChunks in Gen.Elements(0, 0, 1, 7)
        from extraSectors in Gen.Elements(0, 0, 1, 3)
        let cowBytes = EngineRig.RoomyCowBytes(originBytes, chunk) + (long)extraChunks * chunk + extraSectors * 512L
        from count in Gen.Choose(1, 40)
        from steps in StepGen(originBytes, chunks, snapshotWrites).ArrayOf(count)
        select new AllocationScenario(chunk, originBytes, cowBytes, steps);

    private static Gen<(int, int, AllocationStep)> StepGen(int originBytes, int chunks, bool snapshotWrites) =>
        from range in Gen.Frequency(
            (6, StorageGen.Range(originBytes)),
            // long writes, up to the whole origin: tables cross areas inside one request, and writes over
            // 4 MiB exercise the engine splitting an origin write into pieces
            (2, from off in Gen.Choose(0, originBytes - 1)
                from n in Gen.Choose(1, chunks)
                select (off, (int)Math.Min((long)n * originBytes / chunks, originBytes - off))))
        from kind in snapshotWrites
            ? Gen.Frequency((12, Gen.Constant(AllocationStep.OriginWrite)), (4, Gen.Constant(AllocationStep.SnapshotWrite)), (1, Gen.Constant(AllocationStep.Reopen)))
            : Gen.Frequency((12, Gen.Constant(AllocationStep.OriginWrite)), (1, Gen.Constant(AllocationStep.Reopen)))
        select (range.Item1, Math.Max(1, range.Item2), kind);

    private static IEnumerable<AllocationScenario> Shrink(AllocationScenario s) =>
        StorageGen.DropSome(s.Steps).Select(w => s with { Steps = w });

    [Property(MaxTest = 100, QuietOnSuccess = true)]
    public Property Origin_writes_allocate_in_kernel_order() =>
        Prop.ForAll(Arb.From(Scenarios(snapshotWrites: false), Shrink), Run);

    [Property(MaxTest = 50, QuietOnSuccess = true)]
    public Property Origin_and_snapshot_writes_share_the_kernel_allocator() =>
        Prop.ForAll(Arb.From(Scenarios(snapshotWrites: true), Shrink), Run);

    private static void Run(AllocationScenario s)
    {
        var geometry = ChunkGeometry.FromBytes(s.ChunkBytes);
        var originData = new MemoryBlockFile(ViewModel.Payload(s.OriginBytes, s.OriginBytes ^ s.ChunkBytes), "origin");
        var cow = new MemoryBlockFile(s.CowBytes, "cow");
        var model = new KernelAllocatorModel(s.ChunkBytes, s.CowBytes);
        var origin = new Origin(originData);
        try
        {
            var store = ExceptionStore.Format(cow, geometry);
            var snapshot = origin.Attach(store);
            Check(store, model, "fresh store");
            for (int i = 0; i < s.Steps.Length; i++)
            {
                var (offset, length, kind) = s.Steps[i];
                if (kind == AllocationStep.Reopen)
                {
                    // Allocation goes on from the table as read back: next_free, current area and its fill.
                    origin.Dispose();
                    origin = new Origin(originData);
                    store = ExceptionStore.Open(new MemoryBlockFile(cow.Bytes, "cow"), StoreOpenMode.ReadWrite);
                    snapshot = origin.Attach(store);
                }
                else
                {
                    byte[] data = new byte[length];
                    data.AsSpan().Fill((byte)(i + 1));
                    if (kind == AllocationStep.SnapshotWrite) snapshot.Write(offset, data);
                    else origin.Write(offset, data);
                    model.Write(offset, length);
                }
                Check(store, model, $"after step #{i} {AllocationScenario.Describe(s.Steps[i])}");
            }
        }
        finally { origin.Dispose(); }

        // On disk, entries lie in allocation order, area after area.
        var table = ExceptionTable.Read(cow, geometry);
        var onDisk = table.Entries.Select(e => (e.OldChunk, e.NewChunk)).ToList();
        if (!onDisk.SequenceEqual(model.Order))
            throw new ModelMismatchException(
                $"on-disk table order differs from the allocator model at entry {FirstDifference(onDisk, model.Order)}");
        if (table.CurrentArea != model.CurrentArea || (ulong)table.CurrentCommitted != model.CurrentCommitted)
            throw new ModelMismatchException(
                $"on-disk table ends at area {table.CurrentArea} index {table.CurrentCommitted}, model says {model.CurrentArea}/{model.CurrentCommitted}");
        var reopened = ExceptionStore.Open(new MemoryBlockFile(cow.Bytes, "cow"), StoreOpenMode.ReadWrite);
        Check(reopened, model, "after reopen");
    }

    private static void Check(ExceptionStore store, KernelAllocatorModel model, string when)
    {
        var actual = store.SnapshotOfExceptions();
        if (!EngineRig.SameMapping(actual, model.Map))
        {
            var wrong = model.Order.FirstOrDefault(p => !actual.TryGetValue(p.Old, out ulong n) || n != p.New);
            string detail = actual.Count != model.Map.Count
                ? $"{actual.Count} exceptions, model has {model.Map.Count}"
                : $"origin chunk {wrong.Old} -> {(actual.TryGetValue(wrong.Old, out ulong got) ? got.ToString() : "none")}, model says {wrong.New}";
            throw new ModelMismatchException($"{when}: exception table differs from the allocator model: {detail}");
        }
        string status = store.StatusLine();
        if (status != model.StatusLine)
            throw new ModelMismatchException($"{when}: status '{status}', allocator model says '{model.StatusLine}'");
    }

    private static int FirstDifference<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        int i = 0;
        while (i < a.Count && i < b.Count && EqualityComparer<T>.Default.Equals(a[i], b[i])) i++;
        return i;
    }
}
