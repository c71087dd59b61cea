using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FleetMerge.Cli.Tests.Remote;

/// <summary>
/// A stand-in for the node's HTTP API (/api/v1, bearer token, JSON snake_case, {"error"} bodies)
/// with canned in-memory state, on 127.0.0.1 and a free port. It records every request and is as
/// strict as the node about request shapes (JSON content type, exactly the documented
/// properties, 64 MiB bodies and reads), so a sloppy client fails here too.
/// </summary>
public sealed class FakeNode : IAsyncDisposable
{
    public const string Token = "3f9c2a7e1b0d4c6f8a5e2d1c0b9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e";
    public const int MaxPiece = 64 << 20;

    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly List<Recorded> requests = new();
    private readonly List<FakeVg> groups = new();
    private readonly List<FakeLv> volumes = new();
    private readonly Dictionary<string, FakeMerge> merges = new();
    private readonly List<(string Method, string PathEnd, int Status, string Message)> failures = new();
    private int nextMinor;

    public sealed record Recorded(string Method, string Path, string Query, string? Authorization, string? ContentType, string? Json, long BodyLength)
    {
        public JsonObject Body => JsonNode.Parse(Json!)!.AsObject();
        public override string ToString() => $"{Method} {Path}{Query}";
    }

    public sealed class FakeVg(string name)
    {
        public string Name { get; } = name;
        public string Uuid { get; } = FakeUuid(name);
    }

    public sealed class FakeLv
    {
        public required string Name { get; set; }
        public required string Vg { get; init; }
        public string? Origin { get; set; }
        public long SizeBytes { get; init; }
        public long ChunkBytes { get; init; }
        public bool Active { get; set; }
        public double? DataPercent { get; set; }
        public double? MergePercent { get; set; }
        public string Uuid { get; init; } = "";
        public int Minor { get; init; }
        public byte[] Data { get; set; } = [];
    }

    /// <summary>How the next merges go: the percents reported, then the final state.</summary>
    public sealed class MergeScript
    {
        public double[] Steps { get; set; } = [0, 25, 50, 75, 100];
        public string Final { get; set; } = "complete";
        public string? Error { get; set; }
        /// <summary>False: …/merge/events answers 404 and the client must poll.</summary>
        public bool Events { get; set; } = true;
        public int DelayMs { get; set; } = 20;
    }

    private sealed class FakeMerge
    {
        public required string Vg { get; init; }
        public required string Snapshot { get; set; }
        public required string Origin { get; init; }
        public required string Mode { get; init; }
        public string State { get; set; } = "pending";
        public int Step { get; set; }
        public bool SnapshotRemoved { get; set; }
        public string? Error { get; set; }
    }

    public MergeScript Script { get; } = new();
    public List<string> ActivationNotes { get; } = new();
    public string Url { get; private set; } = "";

    private FakeNode(WebApplication app) => this.app = app;

    public static async Task<FakeNode> StartAsync()
    {
        var app = FakeApiHost.Build(maxRequestBodySize: MaxPiece); // the node's --max-body default
        var node = new FakeNode(app);
        node.Map();
        node.Url = await FakeApiHost.StartAsync(app);
        return node;
    }

    public IReadOnlyList<Recorded> Requests
    {
        get { lock (gate) return requests.ToList(); }
    }

    /// <summary>Requests to the API other than reads of lists: what the command did.</summary>
    public Recorded Single(string method, string pathEnd) =>
        Assert.Single(Requests, r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    /// <summary>Every later request whose path ends with <paramref name="pathEnd"/> gets this error.</summary>
    public void Fail(string method, string pathEnd, int status, string message)
    {
        lock (gate) failures.Add((method, pathEnd, status, message));
    }

    // ------------------------------------------------------------------ canned state

    public FakeNode WithGroup(string name)
    {
        lock (gate) groups.Add(new FakeVg(name));
        return this;
    }

    public FakeLv WithVolume(string vg, string name, long size, bool active = false, byte[]? data = null)
    {
        lock (gate)
        {
            var lv = NewVolume(vg, name, size, null, 0);
            lv.Active = active;
            if (data is not null) data.CopyTo(lv.Data, 0);
            return lv;
        }
    }

    public FakeLv WithSnapshot(string vg, string origin, string name, long cowSize, double? dataPercent = null)
    {
        lock (gate)
        {
            var o = Find(vg, origin)!;
            var s = NewVolume(vg, name, cowSize, origin, 4096);
            s.Data = (byte[])o.Data.Clone();
            s.Active = o.Active;
            s.DataPercent = o.Active ? dataPercent : null;
            return s;
        }
    }

    public FakeLv? Volume(string vg, string name)
    {
        lock (gate) return Find(vg, name);
    }

    private FakeLv NewVolume(string vg, string name, long size, string? origin, long chunk)
    {
        var lv = new FakeLv
        {
            Name = name, Vg = vg, SizeBytes = size, Origin = origin, ChunkBytes = chunk,
            Uuid = FakeUuid(vg + "/" + name), Minor = nextMinor++,
            // Bytes only for volumes small enough to hold in memory; the list tests use big sizes.
            Data = origin is null && size <= 256 << 20 ? new byte[size] : [],
        };
        volumes.Add(lv);
        return lv;
    }

    private FakeLv? Find(string vg, string name) => volumes.FirstOrDefault(v => v.Vg == vg && v.Name == name);

    private static string FakeUuid(string seed)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal));
        var chars = Enumerable.Range(0, 32).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
        var s = new string(chars);
        return $"{s[..6]}-{s[6..10]}-{s[10..14]}-{s[14..18]}-{s[18..22]}-{s[22..26]}-{s[26..32]}";
    }

    private string Attr(FakeLv v)
    {
        bool snapshot = v.Origin is not null;
        bool hasSnapshots = !snapshot && volumes.Any(s => s.Vg == v.Vg && s.Origin == v.Name);
        bool merging = merges.Values.Any(m => m.Vg == v.Vg && (m.Snapshot == v.Name || m.Origin == v.Name) && m.State is "pending" or "running");
        char type = snapshot ? (merging ? 'S' : 's') : merging ? 'O' : hasSnapshots ? 'o' : '-';
        return new string([type, 'w', 'i', '-', v.Active ? 'a' : '-', '-', snapshot || hasSnapshots ? 's' : '-', '-', '-', '-']);
    }

    private JsonObject Row(FakeLv v) => new()
    {
        ["name"] = v.Name,
        ["vg"] = v.Vg,
        ["attr"] = Attr(v),
        ["size_bytes"] = v.SizeBytes,
        ["origin"] = v.Origin,
        ["data_percent"] = v.DataPercent,
        ["merge_percent"] = v.MergePercent,
        ["uuid"] = v.Uuid,
        ["minor"] = v.Minor,
    };

    private JsonObject State(FakeMerge m) => new()
    {
        ["vg"] = m.Vg,
        ["snapshot"] = m.Snapshot,
        ["origin"] = m.Origin,
        ["mode"] = m.Mode,
        ["state"] = m.State,
        ["percent"] = Script.Steps[Math.Min(m.Step, Script.Steps.Length - 1)],
        ["merged_exceptions"] = (long)Script.Steps[Math.Min(m.Step, Script.Steps.Length - 1)] * 4,
        ["initial_exceptions"] = 400,
        ["status"] = "400/2048 16",
        ["snapshot_removed"] = m.SnapshotRemoved,
        ["error"] = m.Error,
    };

    // ------------------------------------------------------------------ HTTP

    private static IResult Error(int status, string message) =>
        Results.Content(new JsonObject { ["error"] = message }.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Content(node.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static async Task<(JsonObject? Body, IResult? Error)> ReadBody(HttpContext context, params string[] properties)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            return (null, Error(415, "the request body must be JSON (Content-Type: application/json)"));
        JsonObject? body;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, Error(400, "invalid JSON body"));
        }
        if (body is null) return (null, Error(400, "the request needs a JSON body"));
        foreach (var (name, _) in body)
            if (!properties.Contains(name)) return (null, Error(400, $"invalid JSON body: unknown property '{name}'"));
        foreach (string name in properties)
            if (!body.ContainsKey(name)) return (null, Error(400, $"invalid JSON body: missing required property '{name}'"));
        return (body, null);
    }

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            string? json = null;
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
            {
                json = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
                context.Request.Body.Position = 0;
            }
            var recorded = new Recorded(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.FirstOrDefault(), context.Request.ContentType, json, context.Request.ContentLength ?? 0);
            lock (gate) requests.Add(recorded);

            string auth = context.Request.Headers.Authorization.ToString();
            if (auth != $"Bearer {Token}")
            {
                await Error(401, auth.Length == 0 ? "missing bearer token" : "wrong bearer token").ExecuteAsync(context);
                return;
            }
            (string Method, string PathEnd, int Status, string Message)? failure = null;
            lock (gate)
                foreach (var candidate in failures)
                    if (candidate.Method == context.Request.Method && recorded.Path.EndsWith(candidate.PathEnd, StringComparison.Ordinal))
                    {
                        failure = candidate;
                        break;
                    }
            if (failure is { } f)
            {
                await Error(f.Status, f.Message).ExecuteAsync(context);
                return;
            }
            await next(context);
        });

        var api = app.MapGroup("/api/v1");
        api.MapGet("/node", () => Json(new JsonObject { ["version"] = "fake" }));

        api.MapGet("/vgs", () =>
        {
            lock (gate)
                return Json(new JsonArray(groups.Select(g => (JsonNode)new JsonObject
                {
                    ["name"] = g.Name, ["uuid"] = g.Uuid,
                    ["volumes"] = volumes.Count(v => v.Vg == g.Name), ["active_volumes"] = volumes.Count(v => v.Vg == g.Name && v.Active),
                }).ToArray()));
        });

        api.MapPost("/vgs", async (HttpContext context) =>
        {
            var (body, error) = await ReadBody(context, "name");
            if (error is not null) return error;
            string name = (string)body!["name"]!;
            lock (gate)
            {
                if (groups.Any(g => g.Name == name)) return Error(409, $"volume group '{name}' already exists");
                var g = new FakeVg(name);
                groups.Add(g);
                return Json(new JsonObject { ["name"] = g.Name, ["uuid"] = g.Uuid, ["volumes"] = 0, ["active_volumes"] = 0 }, 201);
            }
        });

        api.MapPost("/vgs/{vg}/activate", (string vg) =>
        {
            lock (gate)
            {
                if (groups.All(g => g.Name != vg)) return Error(404, $"volume group '{vg}' not found");
                foreach (var v in volumes.Where(v => v.Vg == vg)) v.Active = true;
                var started = merges.Values.Where(m => m.Vg == vg && m.State == "pending").ToList();
                foreach (var m in started) m.State = "running";
                return Json(new JsonObject
                {
                    ["started_merges"] = new JsonArray(started.Select(m => (JsonNode)JsonValue.Create(m.Snapshot)).ToArray()),
                    ["notes"] = new JsonArray(ActivationNotes.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
                });
            }
        });

        api.MapPost("/vgs/{vg}/deactivate", (string vg) =>
        {
            lock (gate)
            {
                if (groups.All(g => g.Name != vg)) return Error(404, $"volume group '{vg}' not found");
                foreach (var v in volumes.Where(v => v.Vg == vg)) v.Active = false;
                return Json(new JsonObject());
            }
        });

        api.MapGet("/lvs", (string? vg) =>
        {
            lock (gate)
            {
                if (vg is not null && groups.All(g => g.Name != vg)) return Error(404, $"volume group '{vg}' not found");
                return Json(new JsonArray(volumes.Where(v => vg is null || v.Vg == vg).Select(v => (JsonNode)Row(v)).ToArray()));
            }
        });

        api.MapPost("/vgs/{vg}/lvs", async (HttpContext context, string vg) =>
        {
            var (body, error) = await ReadBody(context, "name", "size_bytes");
            if (error is not null) return error;
            string name = (string)body!["name"]!;
            long size = (long)body["size_bytes"]!;
            lock (gate)
            {
                if (groups.All(g => g.Name != vg)) return Error(404, $"volume group '{vg}' not found");
                if (Find(vg, name) is not null) return Error(409, $"logical volume '{vg}/{name}' already exists");
                if (size % 512 != 0) return Error(400, $"size {size} is not a multiple of 512");
                return Json(Row(NewVolume(vg, name, size, null, 0)), 201);
            }
        });

        api.MapPost("/vgs/{vg}/lvs/{lv}/snapshots", async (HttpContext context, string vg, string lv) =>
        {
            var (body, error) = await ReadBody(context, "name", "size_bytes", "chunk_bytes");
            if (error is not null) return error;
            lock (gate)
            {
                var origin = Find(vg, lv);
                if (origin is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                string name = (string)body!["name"]!;
                if (Find(vg, name) is not null) return Error(409, $"logical volume '{vg}/{name}' already exists");
                var s = NewVolume(vg, name, (long)body["size_bytes"]!, lv, (long)body["chunk_bytes"]!);
                s.Data = (byte[])origin.Data.Clone();
                return Json(Row(s), 201);
            }
        });

        api.MapDelete("/vgs/{vg}/lvs/{lv}", (string vg, string lv) =>
        {
            lock (gate)
            {
                var v = Find(vg, lv);
                if (v is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                if (volumes.Any(s => s.Vg == vg && s.Origin == lv)) return Error(409, $"logical volume '{vg}/{lv}' has snapshots; remove them first");
                volumes.Remove(v);
                return Results.StatusCode(204);
            }
        });

        api.MapPost("/vgs/{vg}/lvs/{lv}/rename", async (HttpContext context, string vg, string lv) =>
        {
            var (body, error) = await ReadBody(context, "new_name");
            if (error is not null) return error;
            lock (gate)
            {
                var v = Find(vg, lv);
                if (v is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                string name = (string)body!["new_name"]!;
                if (Find(vg, name) is not null) return Error(409, $"logical volume '{vg}/{name}' already exists");
                foreach (var s in volumes.Where(s => s.Vg == vg && s.Origin == lv)) s.Origin = name;
                v.Name = name;
                return Json(Row(v));
            }
        });

        foreach (var (verb, active) in new[] { ("activate", true), ("deactivate", false) })
            api.MapPost($"/vgs/{{vg}}/lvs/{{lv}}/{verb}", (string vg, string lv) =>
            {
                lock (gate)
                {
                    var v = Find(vg, lv);
                    if (v is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                    string family = v.Origin ?? v.Name;
                    foreach (var f in volumes.Where(f => f.Vg == vg && (f.Name == family || f.Origin == family))) f.Active = active;
                    return Json(Row(v));
                }
            });

        api.MapGet("/vgs/{vg}/lvs/{lv}/data", (HttpContext context, string vg, string lv, long? offset, long? length) =>
        {
            if (offset is not >= 0 || length is not >= 0) return Error(400, "offset and length are required, non-negative integers");
            if (length > MaxPiece) return Error(400, $"length {length} is over 64 MiB");
            byte[] slice;
            lock (gate)
            {
                var v = Find(vg, lv);
                if (v is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                if (offset > v.Data.Length) return Error(400, $"offset {offset} is beyond the end of {vg}/{lv}");
                int n = (int)Math.Min(length.Value, v.Data.Length - offset.Value);
                slice = v.Data.AsSpan((int)offset.Value, n).ToArray();
            }
            return Results.Bytes(slice, "application/octet-stream");
        });

        api.MapPut("/vgs/{vg}/lvs/{lv}/data", async (HttpContext context, string vg, string lv, long? offset) =>
        {
            if (offset is not >= 0) return Error(400, "offset is required, a non-negative integer");
            if (context.Request.ContentType != "application/octet-stream") return Error(415, "the body must be application/octet-stream");
            var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            byte[] bytes = buffer.ToArray();
            lock (gate)
            {
                var v = Find(vg, lv);
                if (v is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                if (offset + bytes.Length > v.Data.Length) return Error(400, $"write beyond the end of {vg}/{lv}");
                bytes.CopyTo(v.Data, (int)offset.Value);
            }
            return Json(new JsonObject { ["written"] = bytes.Length });
        });

        api.MapPost("/vgs/{vg}/lvs/{lv}/merge", async (HttpContext context, string vg, string lv) =>
        {
            var (body, error) = await ReadBody(context, "mode");
            if (error is not null) return error;
            string mode = (string)body!["mode"]!;
            if (mode is not ("nameorigin" or "namesnapshot" or "onactivate")) return Error(400, $"unknown merge mode '{mode}'");
            lock (gate)
            {
                var s = Find(vg, lv);
                if (s is null) return Error(404, $"logical volume '{vg}/{lv}' not found");
                if (s.Origin is null) return Error(400, $"{vg}/{lv} is not a snapshot");
                if (merges.Values.Any(m => m.Vg == vg && m.Origin == s.Origin && m.State is "pending" or "running"))
                    return Error(409, $"cannot merge {vg}/{lv}: {vg}/{s.Origin} is already merging");
                var origin = Find(vg, s.Origin)!;
                var merge = new FakeMerge
                {
                    Vg = vg, Snapshot = lv, Origin = s.Origin, Mode = mode,
                    State = mode == "onactivate" || !origin.Active ? "pending" : "running",
                };
                merges[$"{vg}/{lv}"] = merge;
                return Json(State(merge), 202);
            }
        });

        api.MapGet("/vgs/{vg}/lvs/{lv}/merge", (string vg, string lv) =>
        {
            lock (gate)
            {
                if (!merges.TryGetValue($"{vg}/{lv}", out var m)) return Error(404, $"no merge of {vg}/{lv}");
                if (m.State == "running") Advance(m);
                return Json(State(m));
            }
        });

        api.MapGet("/vgs/{vg}/lvs/{lv}/merge/events", async (HttpContext context, string vg, string lv) =>
        {
            FakeMerge? m;
            lock (gate) merges.TryGetValue($"{vg}/{lv}", out m);
            if (!Script.Events || m is null)
            {
                await Error(404, "no such endpoint").ExecuteAsync(context);
                return;
            }
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": merge events\n\n");
            while (true)
            {
                string data;
                bool terminal;
                lock (gate)
                {
                    data = State(m).ToJsonString();
                    terminal = m.State is "complete" or "failed" or "stopped";
                    if (!terminal && m.State == "running") Advance(m);
                }
                await context.Response.WriteAsync($"event: merge\ndata: {data}\n\n");
                await context.Response.Body.FlushAsync();
                if (terminal) break;
                await Task.Delay(Script.DelayMs);
            }
        });
    }

    /// <summary>One step of the script; past the last, the final state (complete removes the snapshot).</summary>
    private void Advance(FakeMerge m)
    {
        m.Step++;
        var origin = Find(m.Vg, m.Origin);
        var snapshot = Find(m.Vg, m.Snapshot);
        double percent = Script.Steps[Math.Min(m.Step, Script.Steps.Length - 1)];
        if (origin is not null) origin.MergePercent = percent;
        if (snapshot is not null) snapshot.MergePercent = percent;
        if (m.Step < Script.Steps.Length - 1) return;
        m.State = Script.Final;
        m.Error = Script.Error;
        if (m.State != "complete") return;
        if (origin is not null && snapshot is not null)
        {
            origin.Data = snapshot.Data;
            origin.MergePercent = null;
            volumes.Remove(snapshot);
            if (m.Mode == "namesnapshot") origin.Name = m.Snapshot;
        }
        m.SnapshotRemoved = true;
    }

    public ValueTask DisposeAsync() => FakeApiHost.StopAsync(app);
}
