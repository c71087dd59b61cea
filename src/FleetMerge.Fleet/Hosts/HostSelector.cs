using FleetMerge.Protocol.Fleet;

namespace FleetMerge.Fleet.Hosts;

/// <summary>
/// Which hosts a campaign or policy is about: "all", or comma-separated terms that must all hold.
/// <code>
///  env=prod            label env is prod
///  rack=r1|r2          label rack is r1 or r2
///  env!=prod           label env is missing or not prod (also env!=a|b)
///  host=web-*          host id matches a glob (* and ?), host=a|b|c lists; host!=… excludes
/// </code>
/// Label values are literal; wildcards only match host ids, so "env=pr*" is refused rather than
/// silently matching nothing.
/// </summary>
public sealed class HostSelector
{
    public const string AllText = "all";
    public const string HostKey = "host";

    public static readonly HostSelector All = new(AllText, []);

    private readonly IReadOnlyList<Term> terms;

    private HostSelector(string text, IReadOnlyList<Term> terms)
    {
        Text = text;
        this.terms = terms;
    }

    /// <summary>The selector as given (trimmed).</summary>
    public string Text { get; }

    public bool IsAll => terms.Count == 0;

    public static HostSelector Parse(string? text)
    {
        string s = (text ?? "").Trim();
        if (s.Length == 0) throw Bad("host selector is empty: use 'all' or terms like env=prod,host=web-*");
        if (s == AllText) return All;
        var terms = new List<Term>();
        foreach (string raw in s.Split(','))
        {
            string term = raw.Trim();
            if (term.Length == 0) throw Bad($"host selector '{s}': empty term (two commas in a row, or a trailing comma)");
            terms.Add(ParseTerm(term));
        }
        return new HostSelector(s, terms);
    }

    public bool Matches(string hostId, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var term in terms)
            if (!term.Holds(hostId, labels)) return false;
        return true;
    }

    public override string ToString() => Text;

    private static Term ParseTerm(string term)
    {
        if (term == AllText) throw Bad($"host selector term '{term}': 'all' stands alone, it cannot be combined with other terms");
        int ne = term.IndexOf("!=", StringComparison.Ordinal);
        int eq = term.IndexOf('=');
        if (eq < 0) throw Bad($"host selector term '{term}': expected key=value, key=v1|v2, key!=value or host=glob");
        bool negated = ne >= 0 && ne < eq;
        string key = term[..(negated ? ne : eq)].Trim();
        string rest = term[(eq + 1)..];
        if (key.Length == 0) throw Bad($"host selector term '{term}': the key is empty");
        if (!IsKey(key)) throw Bad($"host selector term '{term}': key '{key}' may hold only letters, digits and . _ / -");
        if (rest.Contains('=') || rest.Contains('!')) throw Bad($"host selector term '{term}': one = per term (separate terms with commas)");
        var values = rest.Split('|').Select(v => v.Trim()).ToList();
        if (values.Any(v => v.Length == 0)) throw Bad($"host selector term '{term}': empty value");
        bool host = key == HostKey;
        if (!host && values.Any(Glob.HasWildcards))
            throw Bad($"host selector term '{term}': wildcards (* ?) only match host ids (host=…), label values are literal");
        return new Term(key, values, negated, host);
    }

    private static bool IsKey(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-');

    private static FleetRequestException Bad(string message) => new(FleetRequestException.BadRequest, message);

    private sealed record Term(string Key, IReadOnlyList<string> Values, bool Negated, bool Host)
    {
        public bool Holds(string hostId, IReadOnlyDictionary<string, string> labels)
        {
            bool any = Host
                ? Values.Any(v => Glob.Matches(v, hostId))
                : labels.TryGetValue(Key, out string? value) && Values.Contains(value, StringComparer.Ordinal);
            return any != Negated;
        }
    }
}
