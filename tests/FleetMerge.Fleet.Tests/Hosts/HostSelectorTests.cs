using FleetMerge.Fleet.Hosts;
using FleetMerge.Protocol.Fleet;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Fleet.Tests.Hosts;

public sealed class HostSelectorTests
{
    private static readonly Dictionary<string, string> Prod = new() { ["env"] = "prod", ["rack"] = "r1" };
    private static readonly Dictionary<string, string> Staging = new() { ["env"] = "staging", ["rack"] = "r2" };
    private static readonly Dictionary<string, string> NoLabels = new();

    [Fact]
    public void All_matches_every_host()
    {
        var all = HostSelector.Parse(" all ");
        Assert.True(all.IsAll);
        Assert.True(all.Matches("web-1", NoLabels));
        Assert.True(all.Matches("db-9", Prod));
    }

    [Theory]
    [InlineData("env=prod", "web-1", true)]
    [InlineData("env=prod", "web-2", false)]
    [InlineData("env=staging|prod", "web-1", true)]
    [InlineData("env=staging|prod", "web-2", true)]
    [InlineData("env!=prod", "web-1", false)]
    [InlineData("env!=prod", "web-2", true)]
    [InlineData("env!=prod", "bare", true)]          // a missing label is not prod
    [InlineData("env=prod", "bare", false)]
    [InlineData("env!=prod|staging", "web-2", false)]
    [InlineData("host=web-*", "web-1", true)]
    [InlineData("host=web-*", "db-1", false)]
    [InlineData("host=web-?", "web-1", true)]
    [InlineData("host=web-?", "web-10", false)]
    [InlineData("host=db-1|web-2", "web-2", true)]
    [InlineData("host=db-1|web-2", "web-1", false)]
    [InlineData("host!=web-*", "web-1", false)]
    [InlineData("env=prod, rack=r1 , host=web-*", "web-1", true)]
    [InlineData("env=prod,rack=r2", "web-1", false)]
    public void Terms_must_all_hold(string selector, string host, bool expected)
    {
        var labels = host switch { "web-1" => Prod, "web-2" => Staging, _ => NoLabels };
        Assert.Equal(expected, HostSelector.Parse(selector).Matches(host, labels));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("env", "'env': expected key=value")]
    [InlineData("=prod", "'=prod': the key is empty")]
    [InlineData("env=", "'env=': empty value")]
    [InlineData("env=a||b", "'env=a||b': empty value")]
    [InlineData("env=prod,,rack=r1", "empty term")]
    [InlineData("env=prod,", "empty term")]
    [InlineData("env=pr*", "'env=pr*': wildcards")]
    [InlineData("env=a=b", "'env=a=b': one =")]
    [InlineData("e nv=a", "key 'e nv'")]
    [InlineData("all,env=prod", "'all' stands alone")]
    public void Bad_selectors_are_bad_requests_naming_the_term(string selector, string expected)
    {
        var e = Assert.Throws<FleetRequestException>(() => HostSelector.Parse(selector));
        Assert.Equal(FleetRequestException.BadRequest, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_null_selector_is_refused_like_an_empty_one() =>
        Assert.Equal(FleetRequestException.BadRequest, Assert.Throws<FleetRequestException>(() => HostSelector.Parse(null)).Kind);

    private static Gen<string> Word => Gen.Elements("web", "db", "a", "b-1", "x.y", "r1", "prod").ArrayOf(1, 2).Select(p => string.Join("-", p));

    private static Gen<(string Key, string[] Values, bool Negated)> LabelTerm =>
        from key in Gen.Elements("env", "rack", "role")
        from values in Gen.Elements("prod", "staging", "r1", "r2", "db").ArrayOf(1, 3)
        from negated in Gen.Elements(true, false)
        select (key, values, negated);

    private static Gen<Dictionary<string, string>> Labels =>
        from env in Gen.Elements<string?>(null, "prod", "staging")
        from rack in Gen.Elements<string?>(null, "r1", "r2")
        select new[] { ("env", env), ("rack", rack) }.Where(p => p.Item2 is not null).ToDictionary(p => p.Item1, p => p.Item2!);

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property A_conjunction_holds_exactly_when_each_term_holds_alone() =>
        Prop.ForAll(
            Arb.From(from terms in LabelTerm.ArrayOf(1, 4) from labels in Labels from host in Word select (terms, labels, host)),
            s =>
            {
                var texts = s.terms.Select(t => $"{t.Key}{(t.Negated ? "!=" : "=")}{string.Join("|", t.Values)}").ToList();
                bool whole = HostSelector.Parse(string.Join(",", texts)).Matches(s.host, s.labels);
                bool each = texts.All(t => HostSelector.Parse(t).Matches(s.host, s.labels));
                return whole == each;
            });

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property Not_equal_is_the_negation_of_equal() =>
        Prop.ForAll(
            Arb.From(from t in LabelTerm from labels in Labels select (t, labels)),
            s =>
            {
                string values = string.Join("|", s.t.Values);
                return HostSelector.Parse($"{s.t.Key}={values}").Matches("h", s.labels)
                    != HostSelector.Parse($"{s.t.Key}!={values}").Matches("h", s.labels);
            });

    [Property(MaxTest = 300, QuietOnSuccess = true)]
    public Property A_host_list_matches_exactly_its_hosts() =>
        Prop.ForAll(
            Arb.From(from listed in Word.ArrayOf(1, 4) from host in Word select (listed, host)),
            s => HostSelector.Parse("host=" + string.Join("|", s.listed)).Matches(s.host, NoLabels) == s.listed.Contains(s.host));
}
