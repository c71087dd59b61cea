using System.CommandLine;
using FleetMerge.Storage;

namespace FleetMerge.Cli.Node;

/// <summary>
/// The options every node palette (`vg`, `lv`) shares: <c>--node URL</c> and <c>--token-file FILE</c>.
/// Recursive, so they may stand before or after the subcommand.
/// </summary>
public sealed class NodeOptions
{
    public Option<string?> Node { get; } = new("--node")
    {
        Description = $"The node's URL (default: $FLEETMERGE_NODE, else {NodeTarget.DefaultUrl})",
        Recursive = true,
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "File holding the node's API token (default: $FLEETMERGE_TOKEN holds the token itself; "
            + "else $FLEETMERGE_DATA_DIR/api-token when set; else ./data/api-token)",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Node);
        command.Options.Add(TokenFile);
    }

    /// <summary>Where to send requests and with which token; throws the usage or token problem.</summary>
    public NodeTarget Resolve(ParseResult result) => NodeTarget.Resolve(result.GetValue(Node), result.GetValue(TokenFile));
}

/// <summary>
/// A node to talk to: its API base (<c>…/api/v1/</c>), the token and where the token came from
/// (named in every authentication error, so the operator knows what to fix).
/// </summary>
public sealed record NodeTarget(Uri ApiBase, string Url, string UrlSource, string Token, string TokenSource)
{
    public const string DefaultUrl = "http://127.0.0.1:7420";
    public const string TokenFileName = "api-token";

    /// <summary>How to set the token, said after every token problem.</summary>
    public const string TokenHint = "pass --token-file with the node's DATA_DIR/api-token, or set FLEETMERGE_TOKEN to the token";

    /// <summary>How to start a node, said after every connection problem (the README's commands).</summary>
    public const string StartHint = "start it with 'ops/node.sh' (or 'dotnet run --project src/FleetMerge.Node -c Release -- --data-dir ./data'), "
        + "or point --node or FLEETMERGE_NODE at a running node";

    public static NodeTarget Resolve(string? nodeOption, string? tokenFileOption)
    {
        var (apiBase, url, urlSource) = ResolveUrl(nodeOption);
        var (token, tokenSource) = ResolveToken(tokenFileOption);
        return new NodeTarget(apiBase, url, urlSource, token, tokenSource);
    }

    /// <summary>
    /// <c>--node</c>, else <c>FLEETMERGE_NODE</c>, else the local default. "host:port" means http;
    /// a URL that already ends in /api/v1 is taken as the API base.
    /// </summary>
    public static (Uri ApiBase, string Url, string Source) ResolveUrl(string? nodeOption)
    {
        string? env = Environment.GetEnvironmentVariable("FLEETMERGE_NODE");
        var (raw, source, what) = nodeOption is not null ? (nodeOption, "--node", "--node")
            : !string.IsNullOrWhiteSpace(env) ? (env, "FLEETMERGE_NODE", "FLEETMERGE_NODE")
            : (DefaultUrl, "default", "the default node URL");
        string text = raw.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host) || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new BadRequestException($"{what} '{raw}' is not a node URL like {DefaultUrl}");
        string path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v1", StringComparison.Ordinal)) path = path[..^"/api/v1".Length];
        string url = $"{uri.Scheme}://{uri.Authority}{path}";
        return (new Uri(url + "/api/v1/"), url, source);
    }

    /// <summary>
    /// <c>--token-file FILE</c>, else <c>FLEETMERGE_TOKEN</c> (the token itself), else the data
    /// directory's token file as the node would choose the directory: <c>FLEETMERGE_DATA_DIR</c>
    /// when set, else <c>./data</c>.
    /// </summary>
    public static (string Token, string Source) ResolveToken(string? tokenFileOption)
    {
        if (tokenFileOption is not null)
        {
            if (tokenFileOption.Trim().Length == 0)
                throw new NodeException($"--token-file is empty; {TokenHint}", ExitCodes.AuthenticationFailed);
            return (ReadTokenFile(tokenFileOption, $"--token-file {tokenFileOption}"), $"--token-file {tokenFileOption}");
        }
        string? envToken = Environment.GetEnvironmentVariable("FLEETMERGE_TOKEN");
        if (!string.IsNullOrWhiteSpace(envToken))
            return (CheckToken(envToken.Trim(), "FLEETMERGE_TOKEN"), "FLEETMERGE_TOKEN");
        string? dataDir = Environment.GetEnvironmentVariable("FLEETMERGE_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(dataDir))
        {
            string file = Path.Combine(dataDir, TokenFileName);
            string source = $"{file} (FLEETMERGE_DATA_DIR/api-token)";
            return (ReadTokenFile(file, source), source);
        }
        string local = Path.Combine(".", "data", TokenFileName);
        string localSource = $"{local} (the default token file)";
        return (ReadTokenFile(local, localSource), localSource);
    }

    private static string ReadTokenFile(string path, string source)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NodeException($"no API token: {source} does not exist (a node writes DATA_DIR/api-token on its first start); {TokenHint}",
                ExitCodes.AuthenticationFailed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException($"cannot read the API token from {source}: {e.Message}; {TokenHint}", ExitCodes.AuthenticationFailed);
        }
        return CheckToken(text.Trim(), source);
    }

    private static string CheckToken(string token, string source)
    {
        if (token.Length == 0)
            throw new NodeException($"no API token: {source} is empty; {TokenHint}", ExitCodes.AuthenticationFailed);
        foreach (char c in token)
            if (c <= ' ' || c > '~')
                throw new NodeException($"the API token from {source} is not one word of printable ASCII (it holds whitespace or control characters); {TokenHint}",
                    ExitCodes.AuthenticationFailed);
        return token;
    }
}
