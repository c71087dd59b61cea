using FleetMerge.Storage.IO;
using FleetMerge.Storage.Store;
using FleetMerge.Storage.Tests.Crash;
using FleetMerge.Storage.Toolbox;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>The first checks after the power came back: every COW passes the fsck and still says valid.</summary>
public static class Reboot
{
    public static string? CowProblem(MemoryBlockFile[] cows, long originBytes)
    {
        foreach (var cow in cows)
        {
            var findings = CowVerification.Findings(cow, originBytes);
            if (findings.Count > 0)
                return $"{cow.Name} after the reboot: {findings.Count} fsck finding(s), first: {findings[0]}";
            if (!ExceptionStore.ReadHeader(cow).IsValid)
                return $"{cow.Name} after the reboot: the header says invalid (a power loss must not invalidate a snapshot)";
        }
        return null;
    }

    /// <summary>Where the power failed, for messages: the operation, the loss model, the tear.</summary>
    public static string Where(CrashingDisk disk, LossChoice loss)
    {
        string torn = string.Join(", ", disk.Files.Where(f => f.Torn is not null).Select(f => $"{f.Name} torn to {f.Torn!.Value.Length} bytes"));
        return $"power failed at operation {disk.Plan.CrashAt} ({disk.Plan.CrashedOperation ?? "not reached"}), {loss}{(torn.Length > 0 ? $", {torn}" : "")}";
    }
}
