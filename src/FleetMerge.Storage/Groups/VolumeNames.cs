namespace FleetMerge.Storage.Groups;

/// <summary>
/// LVM's name rules (lib/misc/lvm-string.c validate_name, apply_lvname_restrictions). They matter
/// twice here: operators expect LVM's answers, and a volume's name becomes its file name
/// (&lt;lv&gt;.img, &lt;snap&gt;.cow), so nothing may escape the group's directory.
/// </summary>
public static class VolumeNames
{
    /// <summary>LVM's NAME_LEN is 128 with the terminating NUL.</summary>
    public const int MaxLength = 127;

    private const string AllowedPunctuation = "+_.-";

    // LVM keeps these for its hidden sub-volumes; refusing them keeps a group importable into LVM.
    private static readonly string[] ReservedPrefixes = ["snapshot", "pvmove"];
    private static readonly string[] ReservedParts =
        ["_cdata", "_cmeta", "_corig", "_cpool", "_cvol", "_wcorig", "_mlog", "_mimage", "_pmspare",
         "_rimage", "_rmeta", "_tdata", "_tmeta", "_vdata", "_vorigin"];

    /// <summary>Why <paramref name="name"/> is not a valid logical volume name, or null when it is.</summary>
    public static string? VolumeProblem(string? name)
    {
        if (BaseProblem(name) is { } problem) return problem;
        foreach (string prefix in ReservedPrefixes)
            if (name!.StartsWith(prefix, StringComparison.Ordinal)) return $"names starting with \"{prefix}\" are reserved";
        foreach (string part in ReservedParts)
            if (name!.Contains(part, StringComparison.Ordinal)) return $"names containing \"{part}\" are reserved";
        return null;
    }

    /// <summary>Why <paramref name="name"/> is not a valid volume group name, or null when it is.</summary>
    public static string? GroupProblem(string? name) => BaseProblem(name);

    public static void ValidateVolume(string? name)
    {
        if (VolumeProblem(name) is { } problem) throw new BadNameException($"invalid volume name '{Shown(name)}': {problem}");
    }

    public static void ValidateGroup(string? name)
    {
        if (GroupProblem(name) is { } problem) throw new BadNameException($"invalid volume group name '{Shown(name)}': {problem}");
    }

    private static string? BaseProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "the name is empty";
        if (name.Length > MaxLength) return $"longer than {MaxLength} characters";
        if (name is "." or "..") return "\".\" and \"..\" are not names";
        if (name[0] == '-') return "a name may not start with '-'";
        foreach (char c in name)
            if (!char.IsAsciiLetterOrDigit(c) && !AllowedPunctuation.Contains(c))
                return $"character '{Shown(c.ToString())}' is not allowed (only letters, digits and {AllowedPunctuation})";
        return null;
    }

    /// <summary>
    /// A refused name as an error message shows it: control characters escaped (\n, \0, \u001b) so the
    /// error stays one line, and a name far over the limit cut short, with its length.
    /// </summary>
    public static string Shown(string? name)
    {
        if (name is null) return "";
        const int shown = 40;
        var text = new System.Text.StringBuilder();
        foreach (char c in name.Length > shown + 8 ? name[..shown] : name)
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return name.Length > shown + 8 ? $"{text}… ({name.Length} characters)" : text.ToString();
    }
}
