namespace FleetMerge.Fleet.Tests.Hosts;

/// <summary>A clock the test moves by hand; actors read it from their own threads.</summary>
public sealed class FakeClock(DateTimeOffset start)
{
    private long ticks = start.UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset at) => Interlocked.Exchange(ref ticks, at.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public Func<DateTimeOffset> Func => () => Now;
}
