using System.Text.Json;

namespace FleetMerge.Node.Tests.Fleet;

/// <summary>`fleetmerge host list|show` on the real node: every host with its reachability, state, labels and volumes; selectors; refusals.</summary>
[Collection(FleetNodeCollection.Name)]
public sealed class HostTests(BreakingFleet fleet)
{
    [Fact]
    public void Host_list_json_has_one_object_per_host_with_reachability_state_labels_and_volumes()
    {
        var hosts = fleet.Json("host", "list", "--json").EnumerateArray().ToList();
        Assert.Equal([FleetNode.OwnHost, .. FleetNode.SimHosts], hosts.Select(h => h.GetProperty("host_id").GetString()));
        foreach (var host in hosts)
        {
            Assert.Equal("reachable", host.GetProperty("reachability").GetString());
            Assert.Equal("idle", host.GetProperty("state").GetString());
            Assert.StartsWith("akka.tcp://fleetmerge@127.0.0.1:", host.GetProperty("node").GetString());
            Assert.True(host.GetProperty("incarnation").GetInt64() >= 1, host.ToString());
            Assert.Equal(JsonValueKind.Object, host.GetProperty("labels").ValueKind);
        }
        var own = hosts[0];
        Assert.False(own.GetProperty("simulated").GetBoolean());
        Assert.Equal(0, own.GetProperty("volumes").GetArrayLength());

        string[] racks = ["r0", "r1", "r2", "r0", "r1"];
        foreach (var (host, i) in hosts.Skip(1).Select((h, i) => (h, i)))
        {
            Assert.True(host.GetProperty("simulated").GetBoolean());
            var labels = host.GetProperty("labels");
            Assert.Equal("sim", labels.GetProperty("env").GetString());
            Assert.Equal(racks[i], labels.GetProperty("rack").GetString());
            Assert.Equal(i < 2, labels.TryGetProperty("canary", out var canary) && canary.GetString() == "true");
            var root = host.GetProperty("volumes").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "root");
            Assert.Equal("vg0", root.GetProperty("vg").GetString());
            Assert.Equal(4 << 20, root.GetProperty("size_bytes").GetInt64());
            Assert.Equal('a', root.GetProperty("attr").GetString()![4]);
            Assert.True(host.GetProperty("free_bytes").GetInt64() > 0, host.ToString());
        }
    }

    [Fact]
    public void Host_list_with_a_selector_shows_only_the_hosts_it_matches()
    {
        var json = fleet.Json("host", "list", "--hosts", "rack=r1", "--json");
        Assert.Equal(["sim-0002", "sim-0005"], json.EnumerateArray().Select(h => h.GetProperty("host_id").GetString()));

        var table = fleet.Ok("host", "list", "--hosts", "rack=r1").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, table.Length);
        Assert.Matches(@"^\s*HOST\s+REACH\s+STATE\s+#LV\s+#SNAP\s+MAXDATA%\s+FREE\s+LABELS$", table[0]);
        Assert.Matches(@"^\s*sim-0002\s+reachable\s+idle\s+1\s+0\s+.*canary=true,env=sim,.*rack=r1", table[1]);
        Assert.Matches(@"^\s*sim-0005\s+reachable\s+idle\s+1\s+0\s+.*env=sim,.*rack=r1", table[2]);
        Assert.Equal("  2 hosts: 2 idle; 0 not reachable", table[3]);

        var several = fleet.Json("host", "list", "--hosts", "host=sim-0001|sim-00?4", "--json");
        Assert.Equal(["sim-0001", "sim-0004"], several.EnumerateArray().Select(h => h.GetProperty("host_id").GetString()));
        var glob = fleet.Json("host", "list", "--hosts", "host=sim-*,canary=true", "--json");
        Assert.Equal(["sim-0001", "sim-0002"], glob.EnumerateArray().Select(h => h.GetProperty("host_id").GetString()));
    }

    [Fact]
    public void Host_show_prints_the_host_and_its_volumes()
    {
        var show = fleet.Ok("host", "show", "sim-0003").Stdout;
        Assert.StartsWith("Host sim-0003 (simulated)\n", show);
        Assert.Contains("  reachability  reachable\n", show);
        Assert.Contains("  state         idle\n", show);
        Assert.Contains("  labels        env=sim,", show);
        Assert.Contains("rack=r2\n", show);
        Assert.Matches(@"\n\s*root\s+vg0\s+-wi-a-----\s+4\.00m", show);

        var json = fleet.Host("sim-0003");
        Assert.Equal("sim-0003", json.GetProperty("host_id").GetString());
        Assert.Equal("r2", json.GetProperty("labels").GetProperty("rack").GetString());
    }

    [Fact]
    public void Unknown_hosts_and_bad_selectors_are_one_line_exit_3()
    {
        var unknown = fleet.Cli("host", "show", "sim-9999");
        AssertOneLine(unknown, "host 'sim-9999' is not registered");

        var bad = fleet.Cli("host", "list", "--hosts", "rack");
        AssertOneLine(bad, "host selector term 'rack'");
    }

    private static void AssertOneLine(EndToEnd.EndToEndNode.Result r, string message)
    {
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Equal("", r.Stdout);
        string line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fleetmerge: ", line);
        Assert.Contains(message, line);
    }
}
