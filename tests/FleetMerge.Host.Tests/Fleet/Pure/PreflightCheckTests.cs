using FleetMerge.Host.Fleet;
using FleetMerge.Host.Fleet.Steps;
using FleetMerge.Protocol.Fleet;
using FleetMerge.Protocol.Host;

namespace FleetMerge.Host.Tests.Fleet.Pure;

public sealed class PreflightCheckTests
{
    private const long MiB = 1 << 20;

    private static LvRow Row(string name, string attr, long size, string? origin = null, string vg = "vg0") =>
        new(name, vg, attr, size, origin, null, null, $"uuid-{name}", 0);

    private static HostStep Step(string? size, params string[] volumes) =>
        new("k", "c1", "h1", StepKinds.Preflight, volumes, "c1", size, 4096, null, [], TimeSpan.FromMinutes(1));

    [Fact]
    public void Active_origins_whose_snapshots_fit_pass()
    {
        IReadOnlyList<LvRow> rows = [Row("root", "-wi-a-----", 4 * MiB), Row("data", "owi-a-s---", 8 * MiB), Row("data-old", "swi-a-s---", 2 * MiB, "data")];
        var outcome = PreflightCheck.Run(Step("50%", "vg0/root", "vg0/data"), rows, 6 * MiB);
        Assert.Equal(new StepOutcome(true, "preflight ok: 2 volumes; the snapshots need 6 MiB of COW, 6 MiB free"), outcome);
    }

    [Fact]
    public void Snapshots_that_do_not_fit_are_refused()
    {
        var outcome = PreflightCheck.Run(Step("200M", "vg0/root"), [Row("root", "-wi-a-----", 4 * MiB)], 60 * MiB);
        Assert.Equal("preflight: not enough free space: the snapshots need 200 MiB of COW, 60 MiB free", outcome.Detail);
        Assert.False(outcome.Ok);
    }

    [Fact]
    public void A_snapshot_already_taken_needs_no_more_space()
    {
        IReadOnlyList<LvRow> rows = [Row("root", "owi-a-s---", 4 * MiB), Row("root-c1", "swi-a-s---", 4 * MiB, "root")];
        Assert.True(PreflightCheck.Run(Step("100%", "vg0/root"), rows, 0).Ok);
    }

    [Fact]
    public void Every_problem_is_named_in_one_line()
    {
        IReadOnlyList<LvRow> rows =
        [
            Row("root", "Owi-a-s---", 4 * MiB), Row("root-old", "Swi-a-s---", 4 * MiB, "root"),
            Row("off", "-wi-------", MiB), Row("snap", "swi-a-s---", MiB, "off"), Row("bad", "owi-m-s---", MiB),
        ];
        var outcome = PreflightCheck.Run(Step(null, "vg0/root", "vg0/off", "vg0/snap", "vg0/bad", "vg0/gone", "nogroup"), rows, 0);
        Assert.Equal(
            "preflight: vg0/root is merging (or marked to merge) from vg0/root-old; vg0/off is not active; vg0/snap is a snapshot, not an origin; "
            + "vg0/bad: a merge into it failed; vg0/gone: no such volume; volume 'nogroup': expected VG/LV",
            outcome.Detail);
    }

    [Fact]
    public void A_bad_size_or_no_volumes_fail_clearly()
    {
        Assert.Equal("preflight: snapshot size '0%': a percentage of the origin must be above 0% and at most 100%",
            PreflightCheck.Run(Step("0%", "vg0/root"), [Row("root", "-wi-a-----", MiB)], MiB).Detail);
        Assert.Equal("preflight: the step names no volumes", PreflightCheck.Run(Step("1M"), [], MiB).Detail);
    }
}
