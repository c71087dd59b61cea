using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Volumes;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// One run of a workload's steps on fresh engine objects over a <see cref="CrashingDisk"/>, until the power
/// fails; then the disk as found after the reboot.
/// </summary>
public sealed record WriteRun(CrashingDisk Disk, byte[][] Images, int CrashedStep, Exception? Thrown, string? Problem)
{
    public static WriteRun Execute(Workload w, CrashPlan plan)
    {
        var disk = new CrashingDisk(plan);
        var originFile = disk.Add("origin", (byte[])w.OriginBase.Clone());
        var cowFiles = w.CowBases.Select((c, k) => disk.Add($"cow{k}", (byte[])c.Clone())).ToArray();
        var origin = new Origin(originFile);
        var stores = cowFiles.Select(f => ExceptionStore.Open(f, StoreOpenMode.ReadWrite)).ToArray();
        var snapshots = stores.Select(origin.Attach).ToArray();
        string? problem = null;
        for (int i = 0; i < w.Steps.Count; i++)
        {
            bool crashedBefore = plan.Crashed;
            try
            {
                switch (w.Steps[i])
                {
                    case OriginWrite s: origin.Write(s.Offset, s.Data); break;
                    case SnapshotWrite s: snapshots[s.Snapshot].Write(s.Offset, s.Data); break;
                    case OriginFlush: origin.Flush(); break;
                    case StoreFlush s: stores[s.Snapshot].Flush(); break;
                }
            }
            catch (Exception e)
            {
                if (!plan.Crashed)
                    problem = $"step {i} ({w.Steps[i]}) threw before the power failed: {e.GetType().Name}: {e.Message}";
                return new WriteRun(disk, disk.AfterReboot(), i, e, problem);
            }
            if (!crashedBefore && plan.Crashed)
            {
                problem = $"the power failed during step {i} ({w.Steps[i]}), which then returned success";
                return new WriteRun(disk, disk.AfterReboot(), i, null, problem);
            }
        }
        return new WriteRun(disk, disk.AfterReboot(), w.Steps.Count, null, null);
    }
}
