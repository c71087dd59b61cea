using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace FleetMerge.Node.Dashboard;

/// <summary>
/// The dashboard's static files (Dashboard/wwwroot, embedded in the node's assembly as
/// <c>dashboard/PATH</c>): nothing to deploy beside the binary, and no CDN. Read once.
/// </summary>
public sealed class DashboardFiles
{
    public const string ResourcePrefix = "dashboard/";

    private readonly FrozenDictionary<string, DashboardFile> files;

    private DashboardFiles(FrozenDictionary<string, DashboardFile> files) => this.files = files;

    public static DashboardFiles Embedded { get; } = Load(typeof(DashboardFiles).Assembly);

    public IEnumerable<string> Paths => files.Keys;

    public static DashboardFiles Load(Assembly assembly)
    {
        var found = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string path = name[ResourcePrefix.Length..];
            found[path] = new DashboardFile(path, bytes, ContentType(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }
        return new DashboardFiles(found.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The file a request path names: "/" is index.html; anything else must be an embedded file exactly.</summary>
    public DashboardFile? Find(string requestPath)
    {
        string path = requestPath is "" or "/" ? "index.html" : requestPath.TrimStart('/');
        return files.GetValueOrDefault(path);
    }

    public static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    };
}

/// <param name="ETag">A strong validator: the content's hash, so a new build is fetched at once and an unchanged file is a 304.</param>
public sealed record DashboardFile(string Path, byte[] Bytes, string ContentType, string ETag);
