namespace FleetMerge.Torture.Api;

/// <summary>One kind of abuse: a request (or a few racing ones) drawn at random, and the check of the answers; null = right.</summary>
public sealed record AbuseCase(string Name, Func<AbuseContext, Task<string?>> RunAsync);
