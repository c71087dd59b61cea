using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql;
using FleetMerge.Node.Actors;
using FleetMerge.Node.Serialization;

namespace FleetMerge.Node.Tests.Fixtures;

/// <summary>HOCON + the node's serializer for TestKit actor systems (xunit v2: no Akka.Hosting.TestKit).</summary>
public static class AkkaTestConfig
{
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Akka.Persistence.Sql as journal and snapshot store, tuned by the node's own hocon/{sqlite,postgres}.conf.</summary>
    public static Config Sql(string connectionString, string providerName, string nodeConf)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = {{Quote(connectionString)}}
              provider-name = {{Quote(providerName)}}
              auto-initialize = on
            }
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
            akka.persistence.snapshot-store.sql {
              connection-string = {{Quote(connectionString)}}
              provider-name = {{Quote(providerName)}}
              auto-initialize = on
            }
            """);
        // Pure HOCON needs the plugin defaults as a fallback (akka-stack notes §4).
        return config
            .WithFallback(NodeAkka.LoadHocon(Path.Combine(NodeAkka.HoconDirectory, nodeConf)))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>Akka.Persistence.TestKit's TestJournal (faults on demand) and an in-memory snapshot store.</summary>
    public static Config TestJournal() => ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    public static ActorSystemSetup Setup(Config config) =>
        BootstrapSetup.Create().WithConfig(config).And(NodeSerialization.Setup(TestManifests.Registry));
}
