using System.Security.Cryptography;
using System.Text;

namespace FleetMerge.Node.Startup;

/// <summary>The API token file is unusable (empty, unreadable): one line, the node does not start.</summary>
public sealed class ApiTokenException(string message) : Exception(message);

/// <summary>
/// DIR/api-token: 32 random bytes as 64 lowercase hex digits and a newline, mode 0600. Created
/// on first start (written to a temporary file with mode 0600, flushed, then linked into place
/// without replacing anything, so a reader never sees a partial token), reused afterwards.
/// The CLI reads this file (or FLEETMERGE_TOKEN) and sends "Authorization: Bearer TOKEN".
/// </summary>
public static class ApiToken
{
    public const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Returns the token in <paramref name="path"/>, creating the file first if it is missing.</summary>
    public static string LoadOrCreate(string path)
    {
        if (!File.Exists(path)) Create(path);
        return Load(path);
    }

    private static string Load(string path)
    {
        string token;
        try
        {
            // Tighten a file someone loosened: the token is a password.
            if ((File.GetUnixFileMode(path) & ~FileMode600) != 0) File.SetUnixFileMode(path, FileMode600);
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiTokenException($"{path}: cannot read the API token: {e.Message}");
        }
        if (token.Length < 16 || token.Any(char.IsWhiteSpace))
            throw new ApiTokenException($"{path}: not a valid API token (at least 16 characters, no spaces); delete the file to get a new one");
        return token;
    }

    private static void Create(string path)
    {
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode600,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(token + "\n"));
                stream.Flush(flushToDisk: true);
            }
            // No overwrite: if another process got there first, its token stands.
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) when (File.Exists(path)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiTokenException($"{path}: cannot create the API token: {e.Message}");
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { }
        }
    }

    /// <summary>Constant-time comparison (both sides hashed first, so the length does not leak either).</summary>
    public static bool Matches(string expected, string? presented)
    {
        if (presented is null) return false;
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
