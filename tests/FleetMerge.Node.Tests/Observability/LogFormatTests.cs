using System.Text.Json;
using FleetMerge.Node.Observability;
using FleetMerge.Node.Settings;
using FleetMerge.Node.Tests.EndToEnd;
using FleetMerge.Node.Tests.Fleet;

namespace FleetMerge.Node.Tests.Observability;

/// <summary>--log-format / FLEETMERGE_LOG_FORMAT: simple lines (the default) or one JSON object per line.</summary>
[Collection(ObservabilityCollection.Name)]
public sealed class LogFormatTests
{
    [Fact]
    public void Simple_by_default_option_beats_environment_and_a_bad_value_is_a_usage_error()
    {
        Assert.Equal(LogFormat.Simple, NodeCommandLine.Parse([], _ => null).LogFormat);
        Assert.Equal(LogFormat.Json, NodeCommandLine.Parse([], v => v == "FLEETMERGE_LOG_FORMAT" ? "JSON" : null).LogFormat);
        Assert.Equal(LogFormat.Simple, NodeCommandLine.Parse(["--log-format", "simple"], v => v == "FLEETMERGE_LOG_FORMAT" ? "json" : null).LogFormat);
        var e = Assert.Throws<NodeUsageException>(() => NodeCommandLine.Parse(["--log-format", "xml"], _ => null));
        Assert.Equal("--log-format: 'xml' is not a log format (simple or json)", e.Message);
    }

    [Fact]
    public async Task With_json_every_log_line_is_a_json_object_and_akka_lines_keep_their_ids()
    {
        await using var e2e = await EndToEndNode.StartAsync("--host-id", "json-node", "--log-format", "json");
        e2e.Ok("vg", "create", "vg0");
        e2e.Ok("lv", "create", "vg0/root", "--size", "4M");
        await Eventually.Until("the volume actor logged the creation", () =>
            (e2e.Node.Stderr.Any(l => l.Contains("host=json-node vg=vg0 lv=root: created", StringComparison.Ordinal)), string.Join('\n', e2e.Node.Stderr)));

        var entries = e2e.Node.Stderr.Select(line =>
        {
            try { return JsonDocument.Parse(line).RootElement.Clone(); }
            catch (JsonException) { throw new Xunit.Sdk.XunitException($"not a JSON log line: {line}"); }
        }).ToList();
        Assert.All(entries, entry =>
        {
            Assert.True(entry.TryGetProperty("LogLevel", out _), entry.ToString());
            Assert.True(entry.TryGetProperty("Category", out _), entry.ToString());
        });
        // The node's own ready line: its template properties are fields of the entry.
        var ready = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("ready: api ", StringComparison.Ordinal));
        Assert.Equal(e2e.DataDir, ready.GetProperty("State").GetProperty("DataDir").GetString());
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains("host=json-node vg=vg0: created in ", StringComparison.Ordinal));
        await e2e.StopAsync();
    }
}
