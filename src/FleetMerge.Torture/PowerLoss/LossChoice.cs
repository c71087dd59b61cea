using FleetMerge.Storage.Tests.Crash;

namespace FleetMerge.Torture.PowerLoss;

/// <summary>
/// How a trial's power failure treats the writes no flush covered, and whether the write in flight tears.
/// Mostly <see cref="LossModel.RandomUnflushed"/> (any subset survives); the two extremes (all kept, all
/// dropped) now and then. Every choice is a legal outcome for a disk with a volatile write cache.
/// </summary>
public sealed record LossChoice(LossModel Model, bool Tear, int Seed)
{
    public static LossChoice Pick(Random rng)
    {
        double roll = rng.NextDouble();
        var model = roll < 0.7 ? LossModel.RandomUnflushed : roll < 0.85 ? LossModel.DropUnflushed : LossModel.KeepUnflushed;
        return new LossChoice(model, rng.NextDouble() < 0.75, rng.Next());
    }

    public CrashPlan Plan(long crashAt) => new(crashAt, Model, Seed, Tear);

    public override string ToString() => $"{Model}{(Tear ? ", torn write in flight" : "")}";
}
