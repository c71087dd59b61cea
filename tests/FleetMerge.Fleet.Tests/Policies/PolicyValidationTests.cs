using FleetMerge.Fleet.Policies;
using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Tests.Policies;

public sealed class PolicyValidationTests
{
    private static readonly PolicySpec Good = PolicySpecs.Daily;

    [Fact]
    public void A_good_policy_is_kept_trimmed_and_a_blank_time_zone_is_utc()
    {
        var spec = PolicyValidation.Validate(Good with { Name = " nightly ", TimeZone = " ", Volumes = [" vg0/root "], Hosts = " all " });
        Assert.Equal("nightly", spec.Name);
        Assert.Equal("UTC", spec.TimeZone);
        Assert.Equal(["vg0/root"], spec.Volumes);
        Assert.Equal("all", spec.Hosts);
        Assert.Equal(Good with { Volumes = Good.Volumes }, PolicyValidation.Validate(Good) with { Volumes = Good.Volumes });
    }

    [Theory]
    [InlineData("4096")]
    [InlineData("65536")]
    [InlineData("524288")]
    public void Chunk_sizes_are_powers_of_two_from_4K_to_512K(string chunk) =>
        PolicyValidation.Validate(Good with { ChunkBytes = int.Parse(chunk) });

    public static TheoryData<PolicySpec, string> Bad => new()
    {
        { Good with { Name = "" }, "policy name ''" },
        { Good with { Name = "Nightly" }, "policy name 'Nightly'" },
        { Good with { Name = "night_ly" }, "policy name 'night_ly'" },
        { Good with { Name = new string('a', 41) }, "1 to 40" },
        { Good with { Cron = "61 * * * *" }, "bad cron '61 * * * *': " },
        { Good with { Cron = "* * * *" }, "bad cron '* * * *': " },
        { Good with { Cron = "0 0 * * * *" }, "bad cron '0 0 * * * *': " },  // six fields: seconds are not allowed
        { Good with { TimeZone = "Mars/Olympus" }, "unknown time zone 'Mars/Olympus'" },
        { Good with { Hosts = "env" }, "host selector term 'env'" },
        { Good with { Hosts = "" }, "host selector is empty" },
        { Good with { Volumes = [] }, "volumes: at least one" },
        { Good with { Volumes = ["root"] }, "volume 'root': expected VG/LV" },
        { Good with { Volumes = ["vg0/-root"] }, "volume 'vg0/-root'" },
        { Good with { Volumes = ["vg0/root/x"] }, "volume 'vg0/root/x'" },
        { Good with { Volumes = ["vg0/root", "vg0/root"] }, "vg0/root listed twice" },
        { Good with { Size = "0" }, "snapshot size '0'" },
        { Good with { Size = "150%" }, "snapshot size '150%'" },
        { Good with { ChunkBytes = 2048 }, "chunk size 2048" },
        { Good with { ChunkBytes = 1 << 20 }, "chunk size 1048576" },
        { Good with { ChunkBytes = 65535 }, "chunk size 65535" },
        { Good with { Keep = 0 }, "keep 0" },
        { Good with { MaxAge = TimeSpan.Zero }, "max age" },
        { Good with { MaxAge = TimeSpan.FromHours(-1) }, "max age" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Each_problem_is_a_bad_request_naming_the_field(PolicySpec spec, string expected)
    {
        var e = Assert.Throws<FleetRequestException>(() => PolicyValidation.Validate(spec));
        Assert.Equal(FleetRequestException.BadRequest, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void No_max_age_is_fine() => PolicyValidation.Validate(Good with { MaxAge = null });
}
