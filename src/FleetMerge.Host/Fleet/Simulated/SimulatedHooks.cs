using FleetMerge.Host.Fleet.Hooks;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Host.Fleet.Simulated;

/// <summary>
/// The built-in hooks of a simulated host (no processes). upgrade writes a new release through the
/// origin, so it really goes through the COW machinery (BROKEN with the upgrade-breaks fault; half
/// of it and a failure with upgrade-fails); health reads the release header back through the origin
/// and fails on BROKEN (or always, with health-fails). The reboot is the reboot step, not a hook.
/// </summary>
public sealed class SimulatedHooks(SimulatedHostSpec host) : IHostHooks
{
    public Task<StepOutcome> RunAsync(string name, HookContext context, CancellationToken ct) => name switch
    {
        HookNames.Upgrade => Task.Run(() => Upgrade(context, ct), ct),
        HookNames.Health => Task.Run(() => Health(context), ct),
        _ => Task.FromResult(StepOutcome.Failed($"no {name} hook on simulated host {host.HostId} (built in: upgrade, health; a reboot is the reboot step)")),
    };

    private StepOutcome Upgrade(HookContext context, CancellationToken ct)
    {
        string release = context.CampaignId;
        var offsets = SimulatedRelease.PageOffsets(host, release);
        int writing = host.Faults.UpgradeFails ? offsets.Count / 2 : offsets.Count;
        using var session = context.Catalog.Get(SimulatedHostSpec.Vg).Open(SimulatedHostSpec.Origin);
        for (int i = 0; i < writing; i++)
        {
            ct.ThrowIfCancellationRequested();
            session.Write(offsets[i], SimulatedRelease.Page(host, release, i));
        }
        session.Flush();
        if (host.Faults.UpgradeFails)
            return StepOutcome.Failed($"upgrade hook failed: release {release} stopped after {writing} of {offsets.Count} pages (simulated fault upgrade-fails)");
        session.Write(0, SimulatedRelease.Header(host.HostId, release, host.Faults.UpgradeBreaks));
        session.Flush();
        return StepOutcome.Done(host.Faults.UpgradeBreaks
            ? $"upgrade hook ok: release {release} installed ({offsets.Count} pages), marked {SimulatedRelease.BrokenMarker} (simulated fault upgrade-breaks)"
            : $"upgrade hook ok: release {release} installed ({offsets.Count} pages)");
    }

    private StepOutcome Health(HookContext context)
    {
        if (host.Faults.HealthFails) return StepOutcome.Failed("health hook failed: simulated fault health-fails");
        var block = new byte[SimulatedRelease.HeaderBytes];
        using (var session = context.Catalog.Get(SimulatedHostSpec.Vg).Open(SimulatedHostSpec.Origin)) session.Read(0, block);
        return SimulatedRelease.Read(block) switch
        {
            null => StepOutcome.Done("health hook ok: the original image (no release installed)"),
            { Broken: true } h => StepOutcome.Failed($"health hook failed: release {h.Release} is {SimulatedRelease.BrokenMarker}"),
            { } h => StepOutcome.Done($"health hook ok: release {h.Release}"),
        };
    }
}
