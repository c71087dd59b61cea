using FleetMerge.Fleet.Hosts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FleetMerge.Fleet.Tests.Hosts;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("?", "", false)]
    [InlineData("web-*", "web-", true)]
    [InlineData("web-*", "web-12", true)]
    [InlineData("web-*", "Web-12", false)]           // case-sensitive, as host ids are compared everywhere
    [InlineData("*-db-*", "eu-db-1", true)]
    [InlineData("*-db-*", "eu-web-1", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("sim-00??", "sim-0042", true)]
    [InlineData("sim-00??", "sim-00420", false)]
    [InlineData("**x", "x", true)]
    public void Wildcards(string pattern, string text, bool expected) => Assert.Equal(expected, Glob.Matches(pattern, text));

    private static Gen<string> Text => Gen.Elements('a', 'b', '-', '1').ArrayOf(0, 10).Select(c => new string(c));

    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property Without_wildcards_a_pattern_is_plain_equality() =>
        Prop.ForAll(Arb.From(from p in Text from t in Text select (p, t)), s => Glob.Matches(s.p, s.t) == (s.p == s.t));

    [Property(MaxTest = 500, QuietOnSuccess = true)]
    public Property Blanking_characters_of_a_text_into_wildcards_still_matches_it() =>
        Prop.ForAll(
            Arb.From(from t in Text from mask in Gen.Elements(0, 1, 2).ArrayOf(t.Length) select (t, mask)),
            s =>
            {
                // 1: '?' for the character, 2: '*' for it (a star may stand for exactly one character).
                string pattern = new([.. s.t.Select((c, i) => s.mask[i] switch { 1 => '?', 2 => '*', _ => c })]);
                return Glob.Matches(pattern, s.t) && Glob.Matches(pattern + "*", s.t) && Glob.Matches("*" + pattern, s.t);
            });
}
