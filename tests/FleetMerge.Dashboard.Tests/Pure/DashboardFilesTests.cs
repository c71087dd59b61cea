using System.Text;
using System.Text.RegularExpressions;
using FleetMerge.Node.Dashboard;

namespace FleetMerge.Dashboard.Tests.Pure;

/// <summary>The static files in the node's assembly: complete (every module a script imports is there), same-origin only, typed.</summary>
public sealed partial class DashboardFilesTests
{
    private static readonly DashboardFiles Files = DashboardFiles.Embedded;

    [Fact]
    public void The_shell_its_styles_and_its_modules_are_embedded()
    {
        foreach (string path in new[] { "index.html", "app.css", "app.js", "api.js", "dom.js", "views/fleet.js", "views/host.js", "views/campaigns.js", "views/campaign.js", "views/policies.js", "views/volumes.js" })
            Assert.Contains(path, Files.Paths);
    }

    [Fact]
    public void Every_module_a_script_imports_is_embedded()
    {
        foreach (string path in Files.Paths.Where(p => p.EndsWith(".js", StringComparison.Ordinal)))
        {
            string text = Encoding.UTF8.GetString(Files.Find(path)!.Bytes);
            foreach (Match m in Import().Matches(text))
            {
                string target = Path.GetFullPath(Path.Combine("/", Path.GetDirectoryName(path)!, m.Groups[1].Value)).TrimStart('/');
                Assert.True(Files.Find(target) is not null, $"{path} imports {m.Groups[1].Value}, which is not embedded");
            }
        }
    }

    [Fact]
    public void Nothing_is_loaded_from_another_origin()
    {
        foreach (string path in Files.Paths)
        {
            string text = Encoding.UTF8.GetString(Files.Find(path)!.Bytes);
            Assert.False(ExternalUrl().IsMatch(text), $"{path} refers to another origin: {ExternalUrl().Match(text).Value}");
        }
    }

    [Theory]
    [InlineData("/", "index.html", "text/html; charset=utf-8")]
    [InlineData("", "index.html", "text/html; charset=utf-8")]
    [InlineData("/app.js", "app.js", "text/javascript; charset=utf-8")]
    [InlineData("/views/campaign.js", "views/campaign.js", "text/javascript; charset=utf-8")]
    [InlineData("/app.css", "app.css", "text/css; charset=utf-8")]
    public void A_request_path_names_its_file_and_type(string request, string path, string contentType)
    {
        var file = Files.Find(request);
        Assert.NotNull(file);
        Assert.Equal(path, file.Path);
        Assert.Equal(contentType, file.ContentType);
        Assert.Matches("^\"[0-9a-f]{32}\"$", file.ETag);
    }

    [Theory]
    [InlineData("/api/v1/node")]
    [InlineData("/index.htm")]
    [InlineData("/../app.js")]
    [InlineData("/views/")]
    [InlineData("/App.js")]
    public void Anything_else_is_not_a_dashboard_file(string request) => Assert.Null(Files.Find(request));

    [GeneratedRegex("""(?:import|from)\s*\(?\s*'(\.{1,2}/[^']+)'""")]
    private static partial Regex Import();

    [GeneratedRegex("""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[/"']""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
