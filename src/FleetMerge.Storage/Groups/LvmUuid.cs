using System.Security.Cryptography;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// Identifiers in LVM's text form: 32 random letters and digits shown as 6-4-4-4-4-4-6, so an
/// operator reads the same shape as `lvs -o uuid`.
/// </summary>
public static class LvmUuid
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly int[] Groups = [6, 4, 4, 4, 4, 4, 6];

    public static string New() => Format(RandomNumberGenerator.GetString(Alphabet, 32));

    /// <summary>Inserts the dashes into 32 identifier characters.</summary>
    public static string Format(string id)
    {
        if (id.Length != 32) throw new ArgumentException("an LVM id has 32 characters", nameof(id));
        var parts = new List<string>();
        int at = 0;
        foreach (int n in Groups)
        {
            parts.Add(id.Substring(at, n));
            at += n;
        }
        return string.Join('-', parts);
    }

    public static bool IsValid(string? uuid)
    {
        if (uuid is null || uuid.Length != 38) return false;
        int at = 0;
        for (int g = 0; g < Groups.Length; g++)
        {
            if (g > 0 && uuid[at++] != '-') return false;
            for (int i = 0; i < Groups[g]; i++)
                if (!char.IsAsciiLetterOrDigit(uuid[at++])) return false;
        }
        return true;
    }
}
