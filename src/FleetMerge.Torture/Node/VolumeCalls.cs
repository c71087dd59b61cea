using FleetMerge.Protocol.Host;
using FleetMerge.Torture.Api;

namespace FleetMerge.Torture.Node;

/// <summary>The volume requests a trial needs, each checked for the status the API documents; anything else throws, naming the request.</summary>
public static class VolumeCalls
{
    public static async Task CreateVgAsync(this ApiClient api, string vg) =>
        Expect(await api.PostAsync("vgs", new { name = vg }), 201, $"POST vgs {vg}");

    public static async Task CreateLvAsync(this ApiClient api, string vg, string lv, long bytes) =>
        Expect(await api.PostAsync($"vgs/{vg}/lvs", new { name = lv, size_bytes = bytes }), 201, $"POST lvs {vg}/{lv}");

    public static Task<ApiAnswer> SnapshotAsync(this ApiClient api, string vg, string origin, string name, long cowBytes, int chunkBytes) =>
        api.PostAsync($"vgs/{vg}/lvs/{origin}/snapshots", new { name, size_bytes = cowBytes, chunk_bytes = chunkBytes });

    public static async Task WriteAsync(this ApiClient api, string vg, string lv, long offset, byte[] data) =>
        Expect(await api.PutBytesAsync($"vgs/{vg}/lvs/{lv}/data?offset={offset}", data), 200, $"PUT data {vg}/{lv} at {offset}");

    public static Task<ApiAnswer> ReadAsync(this ApiClient api, string vg, string lv, long offset, long length) =>
        api.GetAsync($"vgs/{vg}/lvs/{lv}/data?offset={offset}&length={length}");

    public static Task<ApiAnswer> MergeAsync(this ApiClient api, string vg, string snapshot, string mode) =>
        api.PostAsync($"vgs/{vg}/lvs/{snapshot}/merge", new { mode });

    public static async Task<IReadOnlyList<LvRow>> LvsAsync(this ApiClient api, string vg)
    {
        var answer = await api.GetAsync($"vgs/{vg}/lvs");
        Expect(answer, 200, $"GET vgs/{vg}/lvs");
        return answer.Json<List<LvRow>>();
    }

    public static void Expect(ApiAnswer answer, int status, string what)
    {
        if (answer.Status != status) throw new InvalidOperationException($"{what}: expected {status}, got {answer}");
    }
}
