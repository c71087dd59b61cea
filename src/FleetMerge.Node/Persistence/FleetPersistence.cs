using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using FleetMerge.Node.Settings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetMerge.Node.Persistence;

/// <summary>
/// The fleet journal: where the coordinator persists campaigns and policies. On a single node it is
/// the node's default journal. With <c>--fleet-postgres</c> it is a second Akka.Persistence.Sql
/// journal + snapshot store on PostgreSQL, <c>akka.persistence.journal.fleet-sql</c> and
/// <c>akka.persistence.snapshot-store.fleet-sql</c> (not the default plugins: the host's volume actors
/// stay on the node's own journal, which a host needs to finish a merge with the network down),
/// so every coordinator node reads the same campaigns after a singleton failover.
/// </summary>
public static class FleetPersistence
{
    /// <summary>The fleet journal's target after a connection check, or null when the coordinator uses the default journal.</summary>
    public static async Task<PersistenceTarget?> PrepareAsync(NodeSettings settings, CancellationToken ct) =>
        settings.FleetPostgresConnectionString is { } pg ? await NodePersistence.PostgresAsync(pg, ct) : null;

    public static AkkaConfigurationBuilder WithFleetPersistence(this AkkaConfigurationBuilder builder, PersistenceTarget target) =>
        builder
            .WithSqlPersistence(
                connectionString: target.ConnectionString,
                providerName: target.ProviderName,
                autoInitialize: true,
                pluginIdentifier: NodeSettings.FleetPluginIdentifier,
                isDefaultPlugin: false,
                journalBuilder: j => j.WithHealthCheck(HealthStatus.Unhealthy),
                snapshotBuilder: s => s.WithHealthCheck(HealthStatus.Unhealthy))
            .WithHealthCheck(
                "fleetmerge.fleet-persistence.connectivity",
                (_, _, ct) => NodePersistence.CheckConnectivityAsync(target, ct),
                HealthStatus.Unhealthy,
                ["akka", "persistence", "connectivity", "fleet"],
                TimeSpan.FromSeconds(5));
}
