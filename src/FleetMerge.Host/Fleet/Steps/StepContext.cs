using Akka.Actor;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Fleet.Steps;

/// <summary>One run of a step: the step, the host, the cancellation (timeout or the actor stopping), and what it is doing now.</summary>
public sealed class StepContext(HostStep step, HostMachine machine, TimeSpan pollInterval, CancellationToken ct)
{
    /// <summary>One ask to the host agent; the step's timeout bounds the whole step.</summary>
    public static readonly TimeSpan AskLimit = TimeSpan.FromSeconds(60);

    public HostStep Step { get; } = step;

    public HostMachine Machine { get; } = machine;

    /// <summary>How often waiting steps (await-merge) look again.</summary>
    public TimeSpan PollInterval { get; } = pollInterval;

    public CancellationToken Ct { get; } = ct;

    /// <summary>What the step is waiting for, for the detail of a timeout ("waiting for the merge of vg0/root-c1: pending").</summary>
    public string? Waiting { get; set; }

    public Task<AgentHandle> AgentAsync() => Machine.AgentAsync(Ct);

    public async Task<IReadOnlyList<LvRow>> RowsAsync() => (await AgentAsync()).Catalog.Lvs(null);

    public async Task<T> AskAsync<T>(object message, TimeSpan? limit = null)
    {
        var agent = await AgentAsync();
        return await agent.Agent.Ask<T>(message, limit ?? AskLimit, Ct);
    }

    /// <summary>The step's volumes as VG/LV, or the first name that is not one.</summary>
    public (IReadOnlyList<VolumeRef> Volumes, string? Problem) Volumes()
    {
        if (Step.Volumes.Count == 0) return ([], $"{Step.Kind}: the step names no volumes");
        var volumes = new List<VolumeRef>();
        foreach (string name in Step.Volumes)
        {
            if (!VolumeRef.TryParse(name, out var volume)) return ([], $"{Step.Kind}: volume '{name}': expected VG/LV");
            volumes.Add(volume);
        }
        return (volumes, null);
    }

    /// <summary>The campaign's snapshot of <paramref name="origin"/>.</summary>
    public VolumeRef SnapshotOf(VolumeRef origin) => new(origin.Vg, SnapshotNames.For(origin.Lv, Step.SnapshotTag!));

    public static LvRow? Find(IReadOnlyList<LvRow> rows, VolumeRef volume) => rows.FirstOrDefault(r => r.Vg == volume.Vg && r.Name == volume.Lv);
}
