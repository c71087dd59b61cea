using System.Text.Json.Nodes;

namespace FleetMerge.Cli.Tests.Fleet;

/// <summary>The fleet API's objects (API.md, "The fleet") as the node writes them, for the fake node to answer with.</summary>
public static class FleetViews
{
    public const string Node = "akka.tcp://fleetmerge@127.0.0.1:4101";
    public const string Created = "2026-11-20T08:00:00+00:00";

    public static JsonObject HostView(string id, string rack, bool canary = false, string state = "idle", string reachability = "reachable", params JsonObject[] snapshots)
    {
        var labels = new JsonObject { ["env"] = "sim", ["rack"] = rack };
        if (canary) labels["canary"] = "true";
        var volumes = new JsonArray(Lv("root", "vg0", snapshots.Length > 0 ? "owi-a-s---" : "-wi-a-----", 4 << 20, null, null));
        foreach (var s in snapshots) volumes.Add(s);
        return new JsonObject
        {
            ["host_id"] = id,
            ["node"] = Node,
            ["labels"] = labels,
            ["reachability"] = reachability,
            ["state"] = state,
            ["incarnation"] = 2,
            ["simulated"] = true,
            ["free_bytes"] = 60L << 20,
            ["volumes"] = volumes,
            ["last_report"] = "2026-11-20T08:01:02+00:00",
        };
    }

    public static JsonObject Lv(string name, string vg, string attr, long size, string? origin, double? dataPercent) => new()
    {
        ["name"] = name,
        ["vg"] = vg,
        ["attr"] = attr,
        ["size_bytes"] = size,
        ["origin"] = origin,
        ["data_percent"] = dataPercent,
        ["merge_percent"] = null,
        ["uuid"] = "d8E3PO-4Ies-B0Z5-EJzm-HR22-wvWQ-cM5yyj",
        ["minor"] = 0,
    };

    /// <summary>One host of a campaign: (host, wave, outcome, step or null, index, count, detail or null).</summary>
    public sealed record HostProgress(string HostId, int Wave, string Outcome, string? Step = null, int StepIndex = 0, int StepCount = 4, string? Detail = null);

    public static JsonObject CampaignView(string id, string state, HostProgress[] hosts, string kind = "snapshot", string? of = null,
        string? halted = null, string? followUp = null, string? waitingFor = null, int failuresAllowed = 0, params string[] timeline)
    {
        var waves = hosts.GroupBy(h => h.Wave).OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
        {
            ["number"] = g.Key,
            ["name"] = g.Key == 1 && hosts.Select(h => h.Wave).Distinct().Count() > 1 ? "canary" : $"wave {g.Key}",
            ["hosts"] = new JsonArray([.. g.Select(h => (JsonNode)JsonValue.Create(h.HostId))]),
            ["state"] = g.All(h => h.Outcome is "succeeded" or "failed" or "skipped") ? "done" : g.Any(h => h.Outcome != "pending") ? "running" : "waiting",
        });
        return new JsonObject
        {
            ["id"] = id,
            ["spec"] = new JsonObject
            {
                ["kind"] = kind, ["hosts"] = of is null ? "env=sim" : "all", ["volumes"] = of is null ? new JsonArray("vg0/root") : new JsonArray(),
                ["size"] = of is null ? "20%" : null, ["chunk_bytes"] = 4096, ["of"] = of, ["upgrade"] = of is null, ["health"] = of is null,
                ["canary"] = 1, ["wave_size"] = "2", ["max_in_flight"] = 0, ["failure_budget"] = $"{failuresAllowed}", ["auto_rollback"] = false,
                ["step_timeout"] = "00:10:00", ["window"] = null, ["policy"] = null,
            },
            ["state"] = state,
            ["created_at"] = Created,
            ["ended_at"] = state is "completed" or "failed" or "aborted" ? "2026-11-20T08:05:00+00:00" : null,
            ["current_wave"] = hosts.Where(h => h.Outcome != "pending").Select(h => h.Wave).DefaultIfEmpty(0).Max(),
            ["waves"] = new JsonArray([.. waves]),
            ["hosts"] = new JsonArray([.. hosts.Select(h => (JsonNode)new JsonObject
            {
                ["host_id"] = h.HostId, ["wave"] = h.Wave, ["outcome"] = h.Outcome, ["step"] = h.Step, ["step_index"] = h.StepIndex,
                ["step_count"] = h.StepCount, ["detail"] = h.Detail, ["started_at"] = h.Outcome is "pending" or "skipped" ? null : Created,
                ["ended_at"] = h.Outcome is "succeeded" or "failed" or "skipped" ? "2026-11-20T08:04:00+00:00" : null,
            })]),
            ["failures_allowed"] = failuresAllowed,
            ["failures_seen"] = hosts.Count(h => h.Outcome == "failed"),
            ["halted"] = halted,
            ["follow_up"] = followUp,
            ["waiting_for"] = waitingFor,
            ["timeline"] = new JsonArray([.. timeline.Select((t, i) => (JsonNode)new JsonObject { ["at"] = $"2026-11-20T08:0{i}:00+00:00", ["what"] = t })]),
        };
    }

    public static JsonObject SummaryView(string id, string kind, string state, int hosts, int ok, int failed, int running, string? of = null, string? policy = null) => new()
    {
        ["id"] = id, ["kind"] = kind, ["state"] = state, ["hosts"] = of is null ? "env=sim" : "all", ["host_count"] = hosts,
        ["succeeded"] = ok, ["failed"] = failed, ["running"] = running, ["created_at"] = Created,
        ["ended_at"] = state == "running" ? null : "2026-11-20T08:05:00+00:00", ["policy"] = policy, ["of"] = of,
    };

    public static JsonObject PolicyView(string name, params (string Campaign, string State, int Pruned)[] runs) => new()
    {
        ["spec"] = new JsonObject
        {
            ["name"] = name, ["cron"] = "0 3 * * *", ["time_zone"] = "Europe/Berlin", ["hosts"] = "env=prod", ["volumes"] = new JsonArray("vg0/root"),
            ["size"] = "20%", ["chunk_bytes"] = 4096, ["keep"] = 3, ["max_age"] = "7.00:00:00",
        },
        ["created_at"] = Created,
        ["next_run"] = "2026-11-21T03:00:00+01:00",
        ["last_run"] = runs.Length == 0 ? null : "2026-11-20T02:00:05+00:00",
        ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
        {
            ["due"] = "2026-11-20T02:00:00+00:00", ["started_at"] = "2026-11-20T02:00:05+00:00", ["campaign_id"] = r.Campaign,
            ["campaign_state"] = r.State, ["pruned"] = r.Pruned, ["missed"] = false,
        })]),
    };
}
