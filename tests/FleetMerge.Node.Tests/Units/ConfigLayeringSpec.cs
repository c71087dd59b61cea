using Akka.Actor;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Persistence;
using FleetMerge.Node.Settings;
using FleetMerge.Node.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetMerge.Node.Tests.Units;

/// <summary>
/// The node's Akka configuration as it comes out of its layers: base.conf, typed options,
/// sqlite.conf, --config. Built through the node's own AddNodeAkka in a Generic Host.
/// </summary>
public sealed class ConfigLayeringSpec
{
    [Fact]
    public async Task Each_layer_wins_over_the_ones_before()
    {
        using var dir = new TempDir("fleetmerge-node-config");
        string extra = dir.File("extra.conf");
        File.WriteAllText(extra, "akka.cluster.split-brain-resolver.stable-after = 11s\nakka.persistence.journal.sql.batch-size = 77\n");
        var settings = NodeCommandLine.Parse(["--data-dir", dir.Path, "--config", extra, "--roles", "host,coordinator,api"], _ => null);
        var target = await NodePersistence.PrepareAsync(settings, CancellationToken.None);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddNodeAkka(settings, target);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;
            // base.conf
            Assert.Equal("off", config.GetString("akka.coordinated-shutdown.exit-clr"));
            Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("akka.cluster.seed-node-timeout"));
            // typed options
            Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
            Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
            Assert.Equal(["host", "coordinator", "api"], config.GetStringList("akka.cluster.roles"));
            Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
            Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
            Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
            // sqlite.conf over the typed persistence defaults
            Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
            // --config over everything
            Assert.Equal(TimeSpan.FromSeconds(11), config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
            Assert.Equal(77, config.GetInt("akka.persistence.journal.sql.batch-size"));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
