using System.Buffers;
using System.Globalization;
using FleetMerge.Protocol.Host;
using FleetMerge.Storage.Groups;

namespace FleetMerge.Node.Api;

/// <summary>
/// Logical volumes (see API.md): lists, create, snapshot, remove, rename, activation through the
/// host agent (one Ask per control operation); block I/O through a <see cref="VolumeSession"/>
/// opened on the group directly (never a message per I/O); merges and their progress (polling or
/// server-sent events).
/// </summary>
public static class LvEndpoints
{
    /// <summary>Largest read or write per request.</summary>
    public const int MaxIoBytes = 64 << 20;

    public const int DefaultChunkBytes = 4096;

    public sealed record CreateLvRequest(string Name, long SizeBytes);

    public sealed record CreateSnapshotRequest(string Name, long SizeBytes, int? ChunkBytes = null);

    public sealed record RenameRequest(string NewName);

    public sealed record MergeRequest(string? Mode = null);

    public sealed record WriteResponse(long Written);

    public static RouteGroupBuilder MapLvEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/lvs", async (string? vg, HostApi host, CancellationToken ct) => (await host.CatalogAsync(ct)).Lvs(vg));

        var lvs = api.MapGroup("/vgs/{vg}/lvs");
        lvs.MapGet("", async (string vg, HostApi host, CancellationToken ct) => (await host.CatalogAsync(ct)).Lvs(vg));
        lvs.MapPost("", async (string vg, CreateLvRequest request, HostApi host, CancellationToken ct) =>
        {
            var row = await host.AskAsync<LvRow>(new CreateLv(vg, request.Name, request.SizeBytes), ct);
            return TypedResults.Created(LvPath(row.Vg, row.Name), row);
        });
        lvs.MapPost("/{lv}/snapshots", async (string vg, string lv, CreateSnapshotRequest request, HostApi host, CancellationToken ct) =>
        {
            var row = await host.AskAsync<LvRow>(new CreateSnapshot(vg, lv, request.Name, request.SizeBytes, request.ChunkBytes ?? DefaultChunkBytes), ct);
            return TypedResults.Created(LvPath(row.Vg, row.Name), row);
        });
        lvs.MapDelete("/{lv}", async (string vg, string lv, HostApi host, CancellationToken ct) =>
        {
            await host.AskAsync<LvRemoved>(new RemoveLv(vg, lv), ct);
            return TypedResults.NoContent();
        });
        lvs.MapPost("/{lv}/rename", (string vg, string lv, RenameRequest request, HostApi host, CancellationToken ct) =>
            host.AskAsync<LvRow>(new RenameLv(vg, lv, request.NewName), ct));
        lvs.MapPost("/{lv}/activate", (string vg, string lv, HostApi host, CancellationToken ct) => host.AskAsync<LvRow>(new ActivateLv(vg, lv), ct));
        lvs.MapPost("/{lv}/deactivate", (string vg, string lv, HostApi host, CancellationToken ct) => host.AskAsync<LvRow>(new DeactivateLv(vg, lv), ct));

        lvs.MapGet("/{lv}/data", ReadAsync);
        lvs.MapPut("/{lv}/data", WriteAsync);

        lvs.MapPost("/{lv}/merge", async (string vg, string lv, MergeRequest? request, HostApi host, CancellationToken ct) =>
        {
            var merge = await host.AskAsync<MergeState>(new RequestMerge(vg, lv, request?.Mode ?? "nameorigin"), ct);
            return TypedResults.Accepted($"{LvPath(vg, lv)}/merge", merge);
        });
        lvs.MapGet("/{lv}/merge", (string vg, string lv, HostApi host, CancellationToken ct) => MergeStateAsync(host, vg, lv, ct));
        lvs.MapGet("/{lv}/merge/events", MergeEventsAsync);
        return api;
    }

    private static string LvPath(string vg, string lv) => $"{NodeApi.Prefix}/vgs/{Uri.EscapeDataString(vg)}/lvs/{Uri.EscapeDataString(lv)}";

    private static async Task<MergeState> MergeStateAsync(HostApi host, string vg, string lv, CancellationToken ct) =>
        (await host.AskAsync<MergeStateReply>(new GetMergeState(vg, lv), ct)).Merge
        ?? throw ApiException.NotFound($"{vg}/{lv}: no merge known (none was requested since the node started, and the journal has none)");

    // ---------------------------------------------------------------- block I/O

    private static async Task ReadAsync(HttpContext http, string vg, string lv, HostApi host)
    {
        var catalog = await host.CatalogAsync(http.RequestAborted);
        using var session = catalog.Get(vg).Open(lv);
        long offset = Query(http, "offset") ?? 0;
        long length = Query(http, "length") ?? Math.Min(MaxIoBytes, Math.Max(0, session.Length - offset));
        CheckRange(vg, lv, session.Length, offset, length);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, length));
        try
        {
            session.Read(offset, buffer.AsSpan(0, (int)length));
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/octet-stream";
            http.Response.ContentLength = length;
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, (int)length), http.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<WriteResponse> WriteAsync(HttpContext http, string vg, string lv, HostApi host)
    {
        var catalog = await host.CatalogAsync(http.RequestAborted);
        using var session = catalog.Get(vg).Open(lv);
        long offset = Query(http, "offset") ?? 0;
        if (http.Request.ContentLength is { } declared)
            CheckRange(vg, lv, session.Length, offset, declared);
        else
            CheckRange(vg, lv, session.Length, offset, 0);
        // Up to MaxIoBytes + 1, so a body over the limit is seen as such and never cut short.
        var buffer = ArrayPool<byte>.Shared.Rent(http.Request.ContentLength is { } known ? (int)Math.Clamp(known, 1, MaxIoBytes + 1L) : 1 << 20);
        int length = 0;
        try
        {
            while (true)
            {
                int capacity = Math.Min(buffer.Length, MaxIoBytes + 1);
                if (length == capacity)
                {
                    if (length > MaxIoBytes)
                        throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"request body too large: at most {MaxIoBytes} bytes (64 MiB) per write");
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxIoBytes + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    capacity = Math.Min(buffer.Length, MaxIoBytes + 1);
                }
                int n = await http.Request.Body.ReadAsync(buffer.AsMemory(length, capacity - length), http.RequestAborted);
                if (n == 0) break;
                length += n;
            }
            if (length > MaxIoBytes)
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"request body too large: at most {MaxIoBytes} bytes (64 MiB) per write");
            CheckRange(vg, lv, session.Length, offset, length);
            session.Write(offset, buffer.AsSpan(0, length));
            session.Flush(); // the bytes are durable before the 200
            return new WriteResponse(length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long? Query(HttpContext http, string name)
    {
        if (!http.Request.Query.TryGetValue(name, out var values) || values.Count == 0) return null;
        string text = values[^1] ?? "";
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw ApiException.BadRequest($"{name}: '{text}' is not a byte count (a whole number, 0 or more)");
    }

    private static void CheckRange(string vg, string lv, long size, long offset, long length)
    {
        if (length > MaxIoBytes) throw ApiException.BadRequest($"length: {length} bytes, at most {MaxIoBytes} (64 MiB) per request");
        if (offset > size) throw ApiException.BadRequest($"offset: {offset} is beyond the end of {vg}/{lv} ({size} bytes)");
        if (offset + length > size)
            throw ApiException.BadRequest($"offset + length: {offset} + {length} = {offset + length} is beyond the end of {vg}/{lv} ({size} bytes)");
    }

    // ---------------------------------------------------------------- progress

    /// <summary>text/event-stream of the merge's state (see <see cref="ServerSentEvents"/>); ends after complete, failed or stopped.</summary>
    private static Task MergeEventsAsync(HttpContext http, string vg, string lv, HostApi host) =>
        ServerSentEvents.StreamAsync(http, ct => MergeStateAsync(host, vg, lv, ct), MergeState.IsTerminal);
}
