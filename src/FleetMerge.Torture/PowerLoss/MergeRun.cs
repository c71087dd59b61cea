using FleetMerge.Storage;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// One merge on fresh engine objects over a <see cref="CrashingDisk"/>: origin writes and flushes done
/// while it runs ([0] before the first group, [i] from the i-th progress callback), until the power fails;
/// then the disk as found after the reboot. Step numbers count the origin steps across the interludes.
/// </summary>
public sealed record MergeRun(CrashingDisk Disk, byte[][] Images, int Started, int Completed, Exception? Thrown, string? Problem, string Phase)
{
    public static MergeRun Execute(byte[] origin, byte[][] cows, int merging, WorkStep[][] interludes, CrashPlan plan)
    {
        var disk = new CrashingDisk(plan);
        var originFile = disk.Add("origin", (byte[])origin.Clone());
        var cowFiles = cows.Select((c, k) => disk.Add($"cow{k}", (byte[])c.Clone())).ToArray();
        var o = new Origin(originFile);
        var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
        var snapshots = stores.Select(o.Attach).ToArray();
        int started = 0, completed = 0, calls = 0;
        string phase = "merge start";
        try
        {
            var merge = SnapshotMerge.Start(snapshots[merging]);
            void Interlude(int i)
            {
                if (i >= interludes.Length) return;
                foreach (var step in interludes[i])
                {
                    phase = $"interlude {i}: {step}";
                    started++;
                    switch (step)
                    {
                        case OriginWrite w: o.Write(w.Offset, w.Data); break;
                        case OriginFlush: o.Flush(); break;
                    }
                    completed++;
                }
            }
            Interlude(0);
            phase = "merge group 1";
            bool done = merge.Run(_ =>
            {
                calls++;
                Interlude(calls);
                phase = o.Merging is null ? "after the merge" : $"merge group {calls + 1}";
            });
            if (!done) return new MergeRun(disk, disk.AfterReboot(), started, completed, null, "the merge returned false without a cancel", phase);
        }
        catch (Exception e)
        {
            string? problem = !plan.Crashed
                ? $"{e.GetType().Name} before the power failed ({phase}): {e.Message}"
                : e is SimulatedCrash or MergeFailedException or StorageException or IOException ? null
                : $"{e.GetType().Name}, not an I/O error, after the power failed ({phase}): {e.Message}";
            return new MergeRun(disk, disk.AfterReboot(), started, completed, e, problem, phase);
        }
        string? swallowed = plan.Crashed ? $"the power failed ({plan.CrashedOperation}) but the merge and its origin steps returned success" : null;
        return new MergeRun(disk, disk.AfterReboot(), started, completed, null, swallowed, phase);
    }
}
