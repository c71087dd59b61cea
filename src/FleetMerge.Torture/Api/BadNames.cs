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
        "", "-dash", "é", "a*b", "a?b", "a:b", "a\"b", "a'b", "a\\b",
        $"$(touch {canary})", $"`touch {canary}`", $";touch {canary}", $"|touch {canary}", $"&&touch {canary}", $"x$(touch${{IFS}}{canary})",
    ];

    /// <summary>Names only volumes may not have (LVM reserves them for its own volumes); a group may.</summary>
    public static IReadOnlyList<string> ReservedForVolumes { get; } = ["snapshot1", "pvmove0", "x_cdata", "x_tmeta", "x_rimage_0", "x_mlog"];

    /// <summary>The shell-looking names, whose only effect if run would be the canary file.</summary>
    public static IEnumerable<string> Shell(string canary) => All(canary).Where(n => n.Contains(canary, StringComparison.Ordinal));
}
