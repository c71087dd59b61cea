namespace FleetMerge.Torture.Api;

/// <summary>
/// Names LVM's rules refuse (API.md: letters, digits, <c>+_.-</c>, not starting with <c>-</c>, at most
/// 127 characters, reserved prefixes and parts), including shell syntax that must never run: each
/// would <c>touch</c> the canary file if anything passed it to a shell.
/// </summary>
public static class BadNames
{
    public static IReadOnlyList<string> All(string canary) =>
    [
        "a/b", "../escape", "..", ".", "a b", " lead", "trail ", "a\0b", "a\nb", "tab\there", new string('n', 10_000), new string('n', 128),
        "", "-dash", "snapshot1", "pvmove0", "x_cdata", "x_tmeta", "é", "a*b", "a?b", "a:b", "a\"b", "a'b", "a\\b",
        $"$(touch {canary})", $"`touch {canary}`", $";touch {canary}", $"|touch {canary}", $"&&touch {canary}", $"x$(touch${{IFS}}{canary})",
    ];

    /// <summary>The shell-looking names, whose only effect if run would be the canary file.</summary>
    public static IEnumerable<string> Shell(string canary) => All(canary).Where(n => n.Contains(canary, StringComparison.Ordinal));
}
