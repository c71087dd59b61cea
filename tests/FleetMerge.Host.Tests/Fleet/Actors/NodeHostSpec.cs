using Akka.Actor;
using FleetMerge.Host.Fleet;
using FleetMerge.Host.Tests.Fleet.Hooks;
using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;
using Xunit.Abstractions;

namespace FleetMerge.Host.Tests.Fleet.Actors;

/// <summary>
/// The fleet face of the node's own host: the node's host agent, hooks from DATA_DIR/hooks.json run
/// as real child processes (small scripts), restarts of the fleet host actor as node restarts.
/// </summary>
public sealed class NodeHostSpec(ITestOutputHelper output) : FleetSpec(output)
{
    private const string HostId = "h1";

    private FleetHostSettings Settings => new(HostId, new Dictionary<string, string> { ["env"] = "test" }, DataDirectory);

    private async Task<IActorRef> StartHostAsync()
    {
        var (agent, catalog) = await StartNodeAgentAsync();
        return StartHost(agent, catalog);
    }

    private IActorRef StartHost(IActorRef agent, HostCatalog catalog) => Start(FleetHostActor.ForNode(Settings, agent, catalog, Coordinator.Ref));

    private string Hook(string name, string body, string? timeout = null)
    {
        string script = Scripts.Write(Dir, $"{name}.sh", body);
        Scripts.Hooks(DataDirectory, (name, script, timeout));
        return script;
    }

    private string FilePath(string name) => Path.Combine(DataDirectory, name);

    private static HostStep HookStep(string key, string hook, TimeSpan? timeout = null) => Step(key, HostId, StepKinds.Hook, hook, timeout: timeout);

    [Fact]
    public async Task Reports_the_node_host_and_runs_storage_steps_on_its_volumes()
    {
        var (agent, catalog) = await StartNodeAgentAsync();
        await agent.Ask<VgInfo>(new CreateVg("vg0"), Timeout);
        await agent.Ask<LvRow>(new CreateLv("vg0", "root", 1 << 20), Timeout);
        var actor = StartHost(agent, catalog);
        var report = NextReport();
        Assert.Equal((HostId, 1L, false, "test"), (report.HostId, report.Incarnation, report.Simulated, report.Labels["env"]));
        Assert.True(report.FreeBytes > 0, $"free bytes of the file system: {report.FreeBytes}");
        Assert.Equal("root", Assert.Single(report.Volumes).Name);

        Assert.StartsWith("preflight ok: 1 volume; the snapshots need 1 MiB of COW, ", await OkAsync(actor, Step("p", HostId, StepKinds.Preflight, size: "1M")));
        Assert.Equal("snapshot: vg0/root-c1 taken (1 MiB of COW)", await OkAsync(actor, Step("s", HostId, StepKinds.Snapshot, size: "1M")));
        Assert.Equal("remove-snapshot: vg0/root-c1 removed", await OkAsync(actor, Step("r", HostId, StepKinds.RemoveSnapshot)));
    }

    [Fact]
    public async Task A_hook_runs_once_per_key_with_the_host_and_campaign_in_its_environment()
    {
        string runs = FilePath("runs");
        Hook("upgrade", $"sleep 1\necho run >> {runs}\necho \"upgraded $FLEETMERGE_HOST_ID for $FLEETMERGE_CAMPAIGN\"");
        var actor = await StartHostAsync();

        var a = CreateTestProbe();
        var b = CreateTestProbe();
        actor.Tell(HookStep("k1", "upgrade"), a.Ref);
        actor.Tell(HookStep("k1", "upgrade"), b.Ref);
        var ra = a.ExpectMsg<HostStepResult>(Timeout);
        Assert.Equal(ra, b.ExpectMsg<HostStepResult>(Timeout));
        Assert.Equal((true, false, "upgrade hook ok: upgraded h1 for c1"), (ra.Ok, ra.Replayed, ra.Detail));

        Assert.Equal(ra with { Replayed = true }, await RunAsync(actor, HookStep("k1", "upgrade")));
        Assert.Single(File.ReadAllLines(runs));
        await OkAsync(actor, HookStep("k2", "upgrade"));
        Assert.Equal(2, File.ReadAllLines(runs).Length);
    }

    [Fact]
    public async Task Hook_failures_are_one_line()
    {
        var actor = await StartHostAsync();
        string config = FilePath("hooks.json");
        Assert.Equal($"no upgrade hook configured in {config}", (await RunAsync(actor, HookStep("k1", "upgrade"))).Detail);

        File.WriteAllText(config, "{\"upgrade\": ");
        Assert.StartsWith($"{config}: not valid JSON: ", (await RunAsync(actor, HookStep("k2", "upgrade"))).Detail);

        Hook("upgrade", "echo 'Reading package lists...'\necho 'E: Unable to lock the administration directory' >&2\nexit 3");
        var failed = await RunAsync(actor, HookStep("k3", "upgrade"));
        Assert.Equal((false, "upgrade hook failed (exit 3): E: Unable to lock the administration directory"), (failed.Ok, failed.Detail));
    }

    [Fact]
    public async Task A_hook_past_its_timeout_is_killed()
    {
        string pid = FilePath("pid");
        Hook("upgrade", $"echo $$ > {pid}.tmp\nmv {pid}.tmp {pid}\nexec sleep 300");
        var actor = await StartHostAsync();
        var result = await RunAsync(actor, HookStep("k1", "upgrade", TimeSpan.FromSeconds(1)));
        Assert.Equal((false, "hook: timed out after 1s while running the upgrade hook (killed)"), (result.Ok, result.Detail));
        await Until(() => Scripts.IsGone(int.Parse(File.ReadAllText(pid).Trim())), "the hook process is gone");

        File.Delete(pid);
        Hook("upgrade", $"echo $$ > {pid}.tmp\nmv {pid}.tmp {pid}\nexec sleep 300", timeout: "1s");
        var own = await RunAsync(actor, HookStep("k2", "upgrade"));
        Assert.Equal((false, $"upgrade hook timed out after 1s (its timeout in {FilePath("hooks.json")}); killed"), (own.Ok, own.Detail));
        await Until(() => Scripts.IsGone(int.Parse(File.ReadAllText(pid).Trim())), "the hook process is gone");
    }

    [Fact]
    public async Task A_hook_cut_short_by_a_restart_is_answered_as_interrupted()
    {
        string pid = FilePath("pid");
        Hook("upgrade", $"echo $$ > {pid}.tmp\nmv {pid}.tmp {pid}\nexec sleep 300");
        var (agent, catalog) = await StartNodeAgentAsync();
        var actor = StartHost(agent, catalog);
        actor.Tell(HookStep("k1", "upgrade"), CreateTestProbe().Ref);
        await HookRunnerTests.Until(() => File.Exists(pid));
        Stop(actor); // the node goes down mid-hook
        await Until(() => Scripts.IsGone(int.Parse(File.ReadAllText(pid).Trim())), "the hook process is gone");

        var restarted = StartHost(agent, catalog);
        Assert.Equal(2, NextReport(r => r.Incarnation == 2).Incarnation);
        var result = await RunAsync(restarted, HookStep("k1", "upgrade"));
        Assert.Equal((false, true, "interrupted by a host restart"), (result.Ok, result.Replayed, result.Detail));
    }

    [Fact]
    public async Task A_reboot_is_done_when_the_host_comes_back()
    {
        string marker = FilePath("rebooting");
        Hook("reboot", $"touch {marker}\necho 'System is going down for reboot NOW'");
        var (agent, catalog) = await StartNodeAgentAsync();
        var actor = StartHost(agent, catalog);

        // The hook exits 0 but the host never goes down: the step times out saying so.
        var stuck = await RunAsync(actor, Step("r1", HostId, StepKinds.Reboot, timeout: TimeSpan.FromSeconds(1)));
        Assert.Equal((false, "reboot: timed out after 1s while waiting for the host to go down and come back (the reboot hook exited 0)"), (stuck.Ok, stuck.Detail));

        File.Delete(marker);
        actor.Tell(Step("r2", HostId, StepKinds.Reboot), CreateTestProbe().Ref);
        await HookRunnerTests.Until(() => File.Exists(marker));
        await AwaitAssertAsync(async () => Assert.Contains("r2", (await ViewAsync(actor)).Running), Timeout);
        Stop(actor); // the reboot takes the node down

        var restarted = StartHost(agent, catalog);
        var result = await RunAsync(restarted, Step("r2", HostId, StepKinds.Reboot));
        Assert.Equal((true, true, "host restarted (incarnation 2)"), (result.Ok, result.Replayed, result.Detail));
    }
}
