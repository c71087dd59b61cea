using FleetMerge.Storage;
using FleetMerge.Storage.Format;
using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>
/// The merge copy pipeline's instruments, read in this process with a MeterListener while the engine
/// merges in memory: what a complete merge adds up to, and what an I/O error during the copy counts.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class MergeInstrumentTests
{
    private const int ChunkBytes = 4096;
    private const int OriginBytes = 1 << 20;
    private const int Changed = 256 << 10;

    [Fact]
    public void A_complete_merge_adds_its_bytes_chunks_and_one_completion_and_is_running_only_while_it_runs()
    {
        using var bed = new Bed();
        using var recorder = new MeterRecorder(MergeMetrics.MeterName);
        var merge = SnapshotMerge.Start(bed.Snapshot);
        double runningDuring = double.NaN;
        Assert.True(merge.Run(_ => runningDuring = recorder.Total("fleetmerge.merges.running")));

        Assert.Equal(1.0, runningDuring);
        Assert.Equal(0.0, recorder.Total("fleetmerge.merges.running"));
        Assert.Equal((double)Changed, recorder.Total("fleetmerge.merge.copied"));
        Assert.Equal((double)(Changed / ChunkBytes), recorder.Total("fleetmerge.merge.chunks"));
        Assert.Equal(1.0, recorder.Total("fleetmerge.merges.completed"));
        Assert.Equal(0.0, recorder.Total("fleetmerge.merges.failed"));
    }

    [Fact]
    public void An_io_error_during_the_copy_counts_one_failed_merge_and_no_completion()
    {
        using var bed = new Bed();
        using var recorder = new MeterRecorder(MergeMetrics.MeterName);
        var merge = SnapshotMerge.Start(bed.Snapshot);
        bed.Device.FailWrites = true;
        Assert.Throws<MergeFailedException>(() => merge.Run());

        Assert.Equal(1.0, recorder.Total("fleetmerge.merges.failed"));
        Assert.Equal(0.0, recorder.Total("fleetmerge.merges.completed"));
        Assert.Equal(0.0, recorder.Total("fleetmerge.merges.running"));
        Assert.Equal(0.0, recorder.Total("fleetmerge.merge.chunks"));
    }

    /// <summary>An origin in memory with one snapshot whose COW holds the first 256 KiB the origin changed.</summary>
    private sealed class Bed : IDisposable
    {
        public Bed()
        {
            Device = new FailingWrites(new MemoryBlockFile(OriginBytes, "origin"));
            Volume = new Origin(Device);
            Snapshot = Volume.Attach(ExceptionStore.Format(new MemoryBlockFile(2 * OriginBytes, "cow"), ChunkGeometry.FromBytes(ChunkBytes)));
            var data = new byte[Changed];
            new Random(6).NextBytes(data);
            Volume.Write(0, data);
        }

        /// <summary>The origin's device.</summary>
        public FailingWrites Device { get; }
        public Origin Volume { get; }
        public Snapshot Snapshot { get; }

        public void Dispose() => Volume.Dispose();
    }

    /// <summary>A device whose writes fail with an I/O error once <see cref="FailWrites"/> is set.</summary>
    private sealed class FailingWrites(IBlockFile inner) : IBlockFile
    {
        public volatile bool FailWrites;

        public string Name => inner.Name;
        public long Length => inner.Length;
        public bool Writable => inner.Writable;
        public void Read(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            if (FailWrites) throw new IOException($"{Name}: write error at byte {offset}");
            inner.Write(offset, data);
        }

        public void Flush() => inner.Flush();
        public void Dispose() => inner.Dispose();
    }
}
