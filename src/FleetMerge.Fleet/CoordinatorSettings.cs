using Akka.Actor;
using FleetMerge.Fleet.Campaigns;

namespace FleetMerge.Fleet;

/// <summary>
/// What the coordinator runs with. The host registry and the policy scheduler are created by
/// factories called with the coordinator's context (so they are its children): the node plugs in
/// the real actors, built with the same plugin ids; tests plug in stand-ins.
/// </summary>
/// <param name="Registry">Creates the host registry child (required).</param>
/// <param name="PolicyScheduler">Creates the policy scheduler child; null = no policies on this coordinator.</param>
/// <param name="JournalPluginId">Journal for the campaign index and every campaign (null = the system's default journal).</param>
/// <param name="SnapshotPluginId">Snapshot store for the same (null = the default).</param>
public sealed record CoordinatorSettings(
    Func<IUntypedActorContext, IActorRef> Registry,
    Func<IUntypedActorContext, IActorRef>? PolicyScheduler = null,
    string? JournalPluginId = null,
    string? SnapshotPluginId = null)
{
    public CampaignSettings Campaigns { get; init; } = CampaignSettings.Default;

    /// <summary>Longest wait for the registry (resolving hosts) or a campaign (its targets) while starting a campaign.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A campaign actor that stopped (its journal failed) is started again after this long.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An Akka snapshot of the campaign index after this many index events.</summary>
    public int IndexSnapshotEvery { get; init; } = 100;

    /// <summary>The campaigns' settings with this coordinator's plugin ids.</summary>
    public CampaignSettings CampaignSettings => Campaigns with { JournalPluginId = JournalPluginId, SnapshotPluginId = SnapshotPluginId };

    /// <summary>A registry or scheduler factory from Props: <c>context.ActorOf(props, name)</c>.</summary>
    public static Func<IUntypedActorContext, IActorRef> Child(Props props, string name) => context => context.ActorOf(props, name);
}
