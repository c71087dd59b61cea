namespace FleetMerge.Dashboard.Tests.Support;

/// <summary>Polls a condition until it holds (a generous deadline, never a claim about how fast); the failure shows the last thing seen.</summary>
public static class Eventually
{
    public static async Task Until(string what, Func<Task<(bool Done, string Seen)>> check, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var (done, seen) = await check();
            if (done) return;
            if (DateTime.UtcNow > until) Assert.Fail($"never: {what}; last seen:\n{seen}");
            await Task.Delay(200);
        }
    }
}
