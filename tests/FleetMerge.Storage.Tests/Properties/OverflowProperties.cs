using System.Buffers.Binary;
using System.Text;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Toolbox;
using FleetMerge.Storage.Volumes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Storage.Tests.Properties;

/// <summary>
/// A small COW: 3 + <see cref="DataChunks"/> chunks plus <see cref="ExtraSectors"/> (a COW need
/// not be a whole number of chunks). Steps are <see cref="Op"/>s: origin writes, snapshot writes,
/// snapshot reads, reopen.
/// </summary>
public sealed record OverflowScenario(int ChunkBytes, int OriginBytes, int DataChunks, int ExtraSectors, int BystanderChunkBytes, Op[] Ops, int Seed)
{
    public long CowBytes => (3L + DataChunks) * ChunkBytes + ExtraSectors * 512L;

    public override string ToString()
    {
        var s = new StringBuilder($"chunk {ChunkBytes / 1024}K, origin {OriginBytes} B (seed {Seed}), cow {CowBytes} B, " +
                                  (BystanderChunkBytes > 0 ? $"roomy bystander snapshot {BystanderChunkBytes / 1024}K, " : "") + $"{Ops.Length} ops:");
        for (int i = 0; i < Ops.Length; i++) s.Append($"\n  #{i} {Ops[i]}");
        return s.ToString();
    }
}

/// <summary>
/// Property 4: once a small COW runs out, the snapshot is invalid for good (status "Invalid",
/// header valid field 0 on disk and after reopen, snapshot I/O refused), while the origin keeps
/// matching its model. Before that, the snapshot matches its model and the allocator model.
/// </summary>
public class OverflowProperties
{
    private static Gen<OverflowScenario> Scenarios(bool snapshotWrites) =>
        from chunk in Gen.Elements(4096, 8192, 16384)
        from size in Gen.Elements(64 * 1024, 128 * 1024 - 512, 256 * 1024)
        from dataChunks in Gen.Choose(0, 6)
        from extraSectors in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, chunk / 512 - 1)))
        from bystander in Gen.Frequency((1, Gen.Constant(0)), (1, StorageGen.Chunk))
        from count in Gen.Choose(1, 30)
        from ops in OpGen(size, snapshotWrites).ArrayOf(count)
        from seed in StorageGen.AnySeed
        select new OverflowScenario(chunk, size, dataChunks, extraSectors, bystander, ops, seed);

    private static Gen<Op> OpGen(int size, bool snapshotWrites)
    {
        var choices = new List<(int, Gen<Op>)>
        {
            (10, from r in StorageGen.Range(size) from seed in StorageGen.AnySeed select new Op(OpKind.OriginWrite, 0, r.Offset, r.Length, seed)),
            (3, from r in StorageGen.Range(size) select new Op(OpKind.SnapshotRead, 0, r.Offset, r.Length, 0)),
            (1, Gen.Constant(new Op(OpKind.Reopen, 0, 0, 0, 0))),
        };
        if (snapshotWrites)
            choices.Add((4, from r in StorageGen.Range(size) from seed in StorageGen.AnySeed select new Op(OpKind.SnapshotWrite, 0, r.Offset, r.Length, seed)));
        return Gen.Frequency(choices);
    }

    private static IEnumerable<OverflowScenario> Shrink(OverflowScenario s)
    {
        if (s.BystanderChunkBytes > 0) yield return s with { BystanderChunkBytes = 0 };
        foreach (var ops in StorageGen.DropSome(s.Ops)) yield return s with { Ops = ops };
    }

    [Property(MaxTest = 150, QuietOnSuccess = true)]
    public Property Origin_writes_overflowing_a_small_cow_invalidate_only_the_snapshot() =>
        Prop.ForAll(Arb.From(Scenarios(snapshotWrites: false), Shrink), Run);

    [Property(MaxTest = 100, QuietOnSuccess = true)]
    public Property Snapshot_writes_overflowing_a_small_cow_fail_and_invalidate() =>
        Prop.ForAll(Arb.From(Scenarios(snapshotWrites: true), Shrink), Run);

    private static void Run(OverflowScenario s)
    {
        byte[] initial = ViewModel.Payload(s.OriginBytes, s.Seed);
        var model = new ViewModel((byte[])initial.Clone());
        model.AddSnapshot();
        var allocator = new KernelAllocatorModel(s.ChunkBytes, s.CowBytes);
        // Data chunks that fit: chunk n is allocatable while (n + 1) chunks fit the COW (kernel rule).
        int capacity = (int)(s.CowBytes / s.ChunkBytes) - 2;
        bool valid = true;

        var originData = new MemoryBlockFile(initial, "origin");
        var cowBytes = new byte[s.CowBytes];
        var origin = new Origin(originData);
        var store = ExceptionStore.Format(new MemoryBlockFile(cowBytes, "cow"), ChunkGeometry.FromBytes(s.ChunkBytes));
        var snapshot = origin.Attach(store);
        // A second snapshot with room to spare, when present, must not notice the first one's overflow.
        byte[]? bystanderCow = null;
        Snapshot? bystander = null;
        if (s.BystanderChunkBytes > 0)
        {
            model.AddSnapshot();
            bystanderCow = new byte[EngineRig.RoomyCowBytes(s.OriginBytes, s.BystanderChunkBytes)];
            bystander = origin.Attach(ExceptionStore.Format(new MemoryBlockFile(bystanderCow, "bystander"), ChunkGeometry.FromBytes(s.BystanderChunkBytes)));
        }
        try
        {
            for (int i = 0; i < s.Ops.Length; i++)
            {
                var op = s.Ops[i];
                string step = $"step #{i} {op}";
                switch (op.Kind)
                {
                    case OpKind.OriginWrite:
                    {
                        byte[] data = ViewModel.Payload(op.Length, op.Seed);
                        Engine(step, () => origin.Write(op.Offset, data));
                        model.WriteOrigin(op.Offset, data);
                        if (valid && !TryAllocate(allocator, capacity, op)) valid = false;
                        break;
                    }
                    case OpKind.SnapshotWrite:
                    {
                        byte[] data = ViewModel.Payload(op.Length, op.Seed);
                        bool fits = valid && TryAllocate(allocator, capacity, op);
                        if (fits)
                        {
                            Engine(step, () => snapshot.Write(op.Offset, data));
                            model.WriteSnapshot(0, op.Offset, data);
                        }
                        else
                        {
                            ExpectInvalid(step, () => snapshot.Write(op.Offset, data));
                            valid = false;
                        }
                        break;
                    }
                    case OpKind.SnapshotRead:
                    {
                        byte[] buffer = new byte[op.Length];
                        if (valid)
                        {
                            Engine(step, () => snapshot.Read(op.Offset, buffer));
                            ViewModel.AssertSame($"{step}: snapshot read", model.Snapshots[0].AsSpan(op.Offset, op.Length), buffer, op.Offset);
                        }
                        else ExpectInvalid(step, () => snapshot.Read(op.Offset, buffer));
                        break;
                    }
                    case OpKind.Reopen:
                    {
                        origin.Dispose();
                        var cow = new MemoryBlockFile(cowBytes, "cow");
                        var findings = CowVerification.Findings(cow, s.OriginBytes);
                        if (findings.Count > 0) throw new ModelMismatchException($"{step}: cow verify: {string.Join("; ", findings)}");
                        origin = new Origin(new MemoryBlockFile(originData.Bytes, "origin"));
                        store = ExceptionStore.Open(cow, StoreOpenMode.ReadWrite);
                        snapshot = origin.Attach(store);
                        if (bystanderCow is not null)
                            bystander = origin.Attach(ExceptionStore.Open(new MemoryBlockFile(bystanderCow, "bystander"), StoreOpenMode.ReadWrite));
                        break;
                    }
                }
                CheckState(step, s, model, allocator, valid, origin, store, snapshot, cowBytes);
                if (bystander is not null)
                {
                    if (!bystander.Store.IsValid) throw new ModelMismatchException($"{step}: the roomy bystander snapshot became invalid");
                    byte[] view = new byte[s.OriginBytes];
                    bystander.Read(0, view);
                    ViewModel.AssertSame($"{step}: bystander snapshot view", model.Snapshots[1], view);
                }
            }
        }
        finally { origin.Dispose(); }
    }

    /// <summary>The kernel allocator, refusing once next_free + 1 chunks no longer fit the COW.</summary>
    private static bool TryAllocate(KernelAllocatorModel allocator, int capacity, Op op)
    {
        long first = op.Offset / allocator.ChunkBytes, last = (op.Offset + op.Length - 1L) / allocator.ChunkBytes;
        int fresh = 0;
        for (long c = first; c <= last; c++) if (!allocator.Map.ContainsKey((ulong)c)) fresh++;
        if (allocator.Map.Count + fresh > capacity) return false;
        allocator.Write(op.Offset, op.Length);
        return true;
    }

    private static void CheckState(string step, OverflowScenario s, ViewModel model, KernelAllocatorModel allocator, bool valid,
        Origin origin, ExceptionStore store, Snapshot snapshot, byte[] cowBytes)
    {
        byte[] buffer = new byte[s.OriginBytes];
        origin.Read(0, buffer);
        ViewModel.AssertSame($"{step}: origin view", model.Origin, buffer);
        uint headerValid = BinaryPrimitives.ReadUInt32LittleEndian(cowBytes.AsSpan(4));
        if (valid)
        {
            if (!store.IsValid) throw new ModelMismatchException($"{step}: store invalid ({store.InvalidReason}) but the COW is not full");
            if (headerValid != 1) throw new ModelMismatchException($"{step}: header valid field is {headerValid} on a valid store");
            if (store.StatusLine() != allocator.StatusLine)
                throw new ModelMismatchException($"{step}: status '{store.StatusLine()}', allocator model says '{allocator.StatusLine}'");
            if (!EngineRig.SameMapping(store.SnapshotOfExceptions(), allocator.Map))
                throw new ModelMismatchException($"{step}: exception table differs from the allocator model");
            Array.Clear(buffer);
            snapshot.Read(0, buffer);
            ViewModel.AssertSame($"{step}: snapshot view", model.Snapshots[0], buffer);
        }
        else
        {
            if (store.IsValid) throw new ModelMismatchException($"{step}: the COW overflowed but the store is still valid ({store.StatusLine()})");
            if (store.StatusLine() != "Invalid") throw new ModelMismatchException($"{step}: status '{store.StatusLine()}' on an overflowed store");
            if (headerValid != 0) throw new ModelMismatchException($"{step}: header valid field is {headerValid} after overflow");
            ExpectInvalid($"{step}: snapshot read", () => snapshot.Read(0, buffer.AsSpan(0, 512)));
            // The header must say so to whoever opens the store next.
            var reopened = ExceptionStore.Open(new MemoryBlockFile((byte[])cowBytes.Clone(), "cow-copy"), StoreOpenMode.ReadOnly);
            if (reopened.IsValid || reopened.StatusLine() != "Invalid")
                throw new ModelMismatchException($"{step}: an overflowed store reopens as '{reopened.StatusLine()}'");
        }
    }

    private static Gen<(int DataChunks, SameChunksScenario Race)> RaceScenarios =>
        from chunk in Gen.Elements(4096, 8192)
        from size in Gen.Elements(64 * 1024, 128 * 1024 - 512)
        from dataChunks in Gen.Choose(0, 12)
        from writers in Gen.Choose(2, 4)
        from writes in Gen.Choose(1, 8).SelectMany(n => StorageGen.Range(size, maxChunks: 2).ArrayOf(n)).ArrayOf(writers)
        from seed in StorageGen.AnySeed
        select (dataChunks, new SameChunksScenario(size, [chunk], size, [.. Enumerable.Repeat(-1, writers)], writes, 0, seed));

    /// <summary>
    /// Threads write the origin at once over a small COW. Whatever the interleaving, the store ends
    /// invalid exactly when the chunks written outnumber the data chunks that fit; a valid one holds
    /// the original data, an invalid one says so on disk; the origin holds the writers' bytes.
    /// </summary>
    [Property(MaxTest = 60, QuietOnSuccess = true)]
    public Property Concurrent_origin_writes_overflowing_a_small_cow() =>
        Prop.ForAll(Arb.From(RaceScenarios), scenario =>
        {
            var (dataChunks, s) = scenario;
            int chunk = s.ChunkSizes[0];
            byte[] initial = ViewModel.Payload(s.OriginBytes, s.Seed);
            byte[] cowBytes = new byte[(3L + dataChunks) * chunk];
            using var origin = new Origin(new MemoryBlockFile((byte[])initial.Clone(), "origin"));
            var store = ExceptionStore.Format(new MemoryBlockFile(cowBytes, "cow"), ChunkGeometry.FromBytes(chunk));
            var snapshot = origin.Attach(store);
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var start = new Barrier(s.Writers.Length);
            var threads = Enumerable.Range(0, s.Writers.Length).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    foreach (var (offset, length) in s.Writers[t])
                    {
                        byte[] data = new byte[length];
                        data.AsSpan().Fill(SameChunksScenario.FillOf(t));
                        origin.Write(offset, data);
                    }
                }
                catch (Exception e) { failures.Enqueue($"writer {t}: {e.GetType().Name}: {e.Message}"); }
            })).ToList();
            foreach (var th in threads) th.Start();
            foreach (var th in threads)
                if (!th.Join(TimeSpan.FromSeconds(60))) throw new ModelMismatchException($"{s}\na writer did not finish within 60 s (deadlock?)");
            if (!failures.IsEmpty) throw new ModelMismatchException(string.Join("\n", failures));

            byte[] buffer = new byte[s.OriginBytes];
            origin.Read(0, buffer);
            SameChunksScenario.CheckBytes("origin view", buffer, 0, initial, s.CoverageOf(-1));

            var touched = s.Writers.SelectMany(w => w)
                .SelectMany(w => Enumerable.Range(w.Offset / chunk, (w.Offset + w.Length - 1) / chunk - w.Offset / chunk + 1))
                .ToHashSet();
            bool overflowed = touched.Count > 1 + dataChunks;
            uint headerValid = BinaryPrimitives.ReadUInt32LittleEndian(cowBytes.AsSpan(4));
            if (overflowed)
            {
                if (store.IsValid || headerValid != 0 || store.StatusLine() != "Invalid")
                    throw new ModelMismatchException(
                        $"{touched.Count} chunks written, {1 + dataChunks} fit: store valid={store.IsValid}, header valid={headerValid}, status '{store.StatusLine()}'");
                ExpectInvalid("snapshot read after overflow", () => snapshot.Read(0, buffer));
            }
            else
            {
                if (!store.IsValid || headerValid != 1)
                    throw new ModelMismatchException($"{touched.Count} chunks written, {1 + dataChunks} fit, but the store is invalid: {store.InvalidReason}");
                snapshot.Read(0, buffer);
                ViewModel.AssertSame("snapshot view", initial, buffer);
                if (!store.SnapshotOfExceptions().Keys.Select(k => (int)k).ToHashSet().SetEquals(touched))
                    throw new ModelMismatchException("exceptions are not exactly the chunks written");
            }
            var findings = CowVerification.Findings(new MemoryBlockFile(cowBytes, "cow"), s.OriginBytes);
            if (findings.Count > 0) throw new ModelMismatchException($"cow verify: {string.Join("; ", findings)}");
            var reopened = ExceptionStore.Open(new MemoryBlockFile(cowBytes, "cow"), StoreOpenMode.ReadWrite);
            if (reopened.IsValid == overflowed)
                throw new ModelMismatchException($"reopened store valid={reopened.IsValid} after {(overflowed ? "" : "no ")}overflow");
        });

    private static void Engine(string step, Action action)
    {
        try { action(); }
        catch (Exception e) { throw new ModelMismatchException($"{step}: engine threw {e.GetType().Name}: {e.Message}", e); }
    }

    private static void ExpectInvalid(string step, Action action)
    {
        try { action(); }
        catch (SnapshotInvalidException) { return; }
        catch (Exception e) { throw new ModelMismatchException($"{step}: expected SnapshotInvalidException, got {e.GetType().Name}: {e.Message}", e); }
        throw new ModelMismatchException($"{step}: expected SnapshotInvalidException, the call succeeded");
    }
}
