namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>One configured hook: the program and its arguments (never a shell line), and how long it may run.</summary>
/// <param name="Timeout">The hook's own limit; the step's timeout applies too, whichever is shorter.</param>
public sealed record HookCommand(IReadOnlyList<string> Command, TimeSpan? Timeout);
