using FleetMerge.Host.Fleet.Hooks;
using FleetMerge.Host.Tests.Fleet.Support;
using FleetMerge.Host.Tests.Support;

namespace FleetMerge.Host.Tests.Fleet.Hooks;

/// <summary>Real child processes: small scripts that exit 0, exit 3, or sleep past the timeout.</summary>
public sealed class HookRunnerTests : IDisposable
{
    private static readonly Dictionary<string, string> Env = new() { ["FLEETMERGE_HOST_ID"] = "h1", ["FLEETMERGE_CAMPAIGN"] = "c9" };
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private Task<HookResult> RunAsync(string script, CancellationToken ct = default, params string[] args) =>
        HookRunner.RunAsync("upgrade", ["/bin/sh", script, .. args], Env, dir.Path, ct);

    [Fact]
    public async Task Exit_0_with_the_last_non_empty_line_of_its_output()
    {
        string script = Scripts.Write(dir, "ok.sh", "echo starting\necho \"host=$FLEETMERGE_HOST_ID campaign=$FLEETMERGE_CAMPAIGN arg=$1 cwd=$(pwd)\"\necho\necho '   '");
        var result = await RunAsync(script, default, "two words");
        Assert.Equal(new HookResult(0, $"host=h1 campaign=c9 arg=two words cwd={dir.Path}"), result);
    }

    [Fact]
    public async Task Exit_3_with_stderr()
    {
        string script = Scripts.Write(dir, "fail.sh", "echo working\necho 'dpkg: error processing package' >&2\nexit 3");
        Assert.Equal(new HookResult(3, "dpkg: error processing package"), await RunAsync(script));
    }

    [Fact]
    public async Task Success_prefers_stdout_failure_prefers_stderr()
    {
        string script = Scripts.Write(dir, "both.sh", "echo 'warning: deprecated' >&2\necho done\nexit \"$1\"");
        Assert.Equal(new HookResult(0, "done"), await RunAsync(script, default, "0"));
        Assert.Equal(new HookResult(1, "warning: deprecated"), await RunAsync(script, default, "1"));
    }

    [Fact]
    public async Task Stdin_is_closed()
    {
        string script = Scripts.Write(dir, "read.sh", "if read line; then echo \"got $line\"; else echo eof; fi");
        Assert.Equal(new HookResult(0, "eof"), await RunAsync(script));
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree()
    {
        string pids = Path.Combine(dir.Path, "pids");
        string script = Scripts.Write(dir, "sleep.sh", $"sleep 300 &\necho $! > {pids}.child\necho $$ > {pids}.tmp\nmv {pids}.tmp {pids}\nwait");
        using var cancel = new CancellationTokenSource();
        var run = RunAsync(script, cancel.Token);
        await Until(() => File.Exists(pids));
        int shell = int.Parse(File.ReadAllText(pids).Trim()), child = int.Parse(File.ReadAllText(pids + ".child").Trim());
        Assert.False(Scripts.IsGone(child));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Until(() => Scripts.IsGone(shell) && Scripts.IsGone(child));
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_one_line()
    {
        var e = await Assert.ThrowsAsync<HookConfigException>(() => HookRunner.RunAsync("health", ["/nonexistent/health-check"], Env, dir.Path, default));
        Assert.StartsWith("health hook: cannot start /nonexistent/health-check: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hook_is_never_run_through_a_shell()
    {
        string marker = Path.Combine(dir.Path, "injected");
        var result = await HookRunner.RunAsync("health", ["/bin/echo", $"ok; touch {marker}"], Env, dir.Path, default);
        Assert.Equal(new HookResult(0, $"ok; touch {marker}"), result);
        Assert.False(File.Exists(marker));
    }

    internal static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 20 s");
            await Task.Delay(20);
        }
    }
}
