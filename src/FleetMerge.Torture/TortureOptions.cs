namespace FleetMerge.Torture;

/// <summary>
/// <c>fleetmerge-torture [--trials N] [--seed S] [--only a,b] [--trial K] [--jobs J] [--dir DIR] [--list]</c>.
/// </summary>
public sealed record TortureOptions(int? Trials, int Seed, IReadOnlyList<string>? Only, int? Trial, int Jobs, string? Dir, bool List)
{
    public const string Usage =
        "usage: ops/torture.sh [--trials N] [--seed S] [--only SCENARIO,...] [--trial K] [--jobs J] [--dir DIR] [--list]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with one line naming the problem.</summary>
    public static TortureOptions Parse(IReadOnlyList<string> args)
    {
        int? trials = null, trial = null;
        int? seed = null;
        int jobs = Environment.ProcessorCount;
        IReadOnlyList<string>? only = null;
        string? dir = null;
        bool list = false;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number(int min)
            {
                string name = args[i], text = Value();
                return int.TryParse(text, out int n) && n >= min ? n : throw new ArgumentException($"{name}: '{text}' is not a whole number >= {min}");
            }
            switch (args[i])
            {
                case "--trials": trials = Number(1); break;
                case "--seed": seed = Number(0); break;
                case "--trial": trial = Number(0); break;
                case "--jobs": jobs = Number(1); break;
                case "--only": only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--dir": dir = Value(); break;
                case "--list": list = true; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        return new TortureOptions(trials, seed ?? Random.Shared.Next(1, int.MaxValue), only, trial, jobs, dir, list);
    }
}
