namespace FleetMerge.Fleet.Hosts;

/// <summary>Shell-style wildcards for host ids: * any run of characters, ? one character; everything else literal and case-sensitive.</summary>
public static class Glob
{
    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool Matches(string pattern, string text)
    {
        // Greedy scan with one backtrack point (the last *): linear in practice, no regex to escape.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; resume = t; }
            else if (star >= 0) { p = star + 1; t = ++resume; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
