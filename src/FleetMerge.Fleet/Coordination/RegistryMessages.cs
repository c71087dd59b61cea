using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Coordination;

/// <summary>
/// Inside the coordinator: what campaigns and the policy scheduler ask the host registry (a child of
/// the coordinator singleton). Not persisted, never leaves the coordinator's node.
/// </summary>
public interface IRegistryRequest;

/// <summary>The ids of the registered hosts (reachable or not) that <paramref name="Selector"/> matches, sorted; a bad selector fails with a bad-request FleetRequestException.</summary>
public sealed record ResolveHosts(string Selector) : IRegistryRequest;

public sealed record ResolvedHosts(IReadOnlyList<string> HostIds);

/// <summary>
/// Send <paramref name="Step"/> to the current agent of Step.HostId, keeping the original Sender (the
/// campaign), so that the host answers the campaign directly. Dropped (with a debug log line) when
/// the host is unknown or its node unreachable: the campaign resends unanswered steps with the same key.
/// </summary>
public sealed record DeliverStep(HostStep Step) : IRegistryRequest;
