using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Storage.Tests.Properties;

/// <summary>
/// Property 1: whatever sequence of origin and snapshot I/O, reopenings and new snapshots, every
/// view read through the engine equals the trivial byte-array model after every step.
/// </summary>
public class ViewProperties
{
    private const int MaxSnapshots = 6;

    [Property(MaxTest = 100, QuietOnSuccess = true)]
    public Property Every_view_matches_the_model_in_memory() =>
        Prop.ForAll(StorageGen.ViewScenarios(maxOps: 30), s => Run(s, new MemoryBacking()));

    [Property(MaxTest = 30, QuietOnSuccess = true)]
    public Property Every_view_matches_the_model_on_image_files_and_survives_reopen() =>
        Prop.ForAll(StorageGen.ViewScenarios(maxOps: 25), s => Run(s, new FileBacking()));

    public static void Run(ViewScenario s, IDeviceBacking backing)
    {
        byte[] initial = ViewModel.Payload(s.OriginBytes, s.Seed);
        var model = new ViewModel((byte[])initial.Clone());
        using var rig = new EngineRig(backing, initial);
        foreach (int chunk in s.ChunkSizes)
        {
            rig.AddSnapshot(chunk, EngineRig.RoomyCowBytes(s.OriginBytes, chunk));
            model.AddSnapshot();
        }
        rig.CheckAllViews(model, "before any step");
        for (int i = 0; i < s.Ops.Length; i++)
        {
            var op = s.Ops[i];
            string step = $"step #{i} {op}";
            try
            {
                Apply(rig, model, op, step);
            }
            catch (Exception e) when (e is not ModelMismatchException)
            {
                throw new ModelMismatchException($"{step}: engine threw {e.GetType().Name}: {e.Message}", e);
            }
            rig.CheckAllViews(model, $"after {step}");
        }
        // A final close/reopen: everything written must be on the devices.
        rig.CloseAndReopen();
        rig.CheckAllViews(model, "after the final reopen");
    }

    private static void Apply(EngineRig rig, ViewModel model, Op op, string step)
    {
        switch (op.Kind)
        {
            case OpKind.OriginWrite:
            {
                byte[] data = ViewModel.Payload(op.Length, op.Seed);
                rig.Origin.Write(op.Offset, data);
                model.WriteOrigin(op.Offset, data);
                break;
            }
            case OpKind.SnapshotWrite:
            {
                int k = op.Target % rig.SnapshotCount;
                byte[] data = ViewModel.Payload(op.Length, op.Seed);
                rig.Snapshot(k).Write(op.Offset, data);
                model.WriteSnapshot(k, op.Offset, data);
                break;
            }
            case OpKind.OriginRead:
            {
                byte[] buffer = new byte[op.Length];
                rig.Origin.Read(op.Offset, buffer);
                ViewModel.AssertSame($"{step}: origin read", model.Origin.AsSpan(op.Offset, op.Length), buffer, op.Offset);
                break;
            }
            case OpKind.SnapshotRead:
            {
                int k = op.Target % rig.SnapshotCount;
                byte[] buffer = new byte[op.Length];
                rig.Snapshot(k).Read(op.Offset, buffer);
                ViewModel.AssertSame($"{step}: snapshot {k} read", model.Snapshots[k].AsSpan(op.Offset, op.Length), buffer, op.Offset);
                break;
            }
            case OpKind.Reopen:
                rig.CloseAndReopen();
                break;
            case OpKind.AddSnapshot:
                if (rig.SnapshotCount >= MaxSnapshots) break;
                rig.AddSnapshot(op.Target, EngineRig.RoomyCowBytes(rig.OriginLength, op.Target));
                model.AddSnapshot();
                break;
        }
        foreach (var store in Enumerable.Range(0, rig.SnapshotCount).Select(rig.Store))
            if (!store.IsValid)
                throw new ModelMismatchException($"{step}: a roomy store became invalid: {store.InvalidReason}");
    }
}
