using FleetMerge.Host.Fleet.Hooks;
using FleetMerge.Host.Tests.Support;

namespace FleetMerge.Host.Tests.Fleet.Hooks;

public sealed class HookConfigTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Path => System.IO.Path.Combine(dir.Path, "hooks.json");

    [Fact]
    public void Loads_commands_and_timeouts()
    {
        File.WriteAllText(Path, """
            {
              "upgrade": {"command": ["/usr/bin/apt-get", "-y", "dist-upgrade"], "timeout": "30m"},
              // comments are allowed
              "health": {"command": ["/usr/local/bin/health check"]},
            }
            """);
        var config = HookConfig.Load(dir.Path);
        Assert.Equal(["/usr/bin/apt-get", "-y", "dist-upgrade"], config.Find("upgrade")!.Command);
        Assert.Equal(TimeSpan.FromMinutes(30), config.Find("upgrade")!.Timeout);
        Assert.Equal(["/usr/local/bin/health check"], config.Find("health")!.Command);
        Assert.Null(config.Find("health")!.Timeout);
        Assert.Null(config.Find("reboot"));
    }

    [Fact]
    public void No_file_means_no_hooks()
    {
        var config = HookConfig.Load(dir.Path);
        Assert.Empty(config.Hooks);
        Assert.Equal(Path, config.Path);
    }

    [Theory]
    [InlineData("{", "not valid JSON: ")]
    [InlineData("[]", "expected an object of hooks by name, like {\"upgrade\": {\"command\": [\"/usr/bin/apt-get\", \"-y\", \"dist-upgrade\"]}}")]
    [InlineData("{\"upgrade\": \"apt-get -y dist-upgrade\"}", "hook 'upgrade': expected an object with \"command\" (and optionally \"timeout\")")]
    [InlineData("{\"upgrade\": {\"command\": \"apt-get -y dist-upgrade\"}}", "hook 'upgrade': \"command\" must be a non-empty array of non-empty strings (the program, then its arguments; no shell)")]
    [InlineData("{\"upgrade\": {\"command\": []}}", "hook 'upgrade': \"command\" must be a non-empty array")]
    [InlineData("{\"upgrade\": {\"command\": [\"/bin/true\"], \"timeout\": \"soon\"}}", "hook 'upgrade': \"timeout\" must be a duration like \"90s\", \"30m\" or \"1h\"")]
    [InlineData("{\"upgrade\": {\"cmd\": [\"/bin/true\"]}}", "hook 'upgrade': unknown field \"cmd\" (expected \"command\" and \"timeout\")")]
    [InlineData("{\"upgrade\": {\"timeout\": \"1m\"}}", "hook 'upgrade': \"command\" is missing")]
    public void A_malformed_file_is_one_clear_line(string json, string problem)
    {
        File.WriteAllText(Path, json);
        var e = Assert.Throws<HookConfigException>(() => HookConfig.Load(dir.Path));
        Assert.StartsWith($"{Path}: {problem}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
