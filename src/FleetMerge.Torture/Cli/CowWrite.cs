namespace FleetMerge.Torture.Cli;

/// <summary>
/// One `fleetmerge cow write`: to the origin (through every snapshot, in a random --cow order) or to
/// one snapshot (given first), of random bytes (--in FILE) or one byte repeated (--byte B --length N).
/// </summary>
public sealed record CowWrite(int Snapshot, long Offset, byte[] Data, bool AsByte, int[] CowOrder)
{
    /// <summary>-1: the write goes to the origin.</summary>
    public bool ToOrigin => Snapshot < 0;

    public long Length => Data.Length;

    public string Describe(ModelledImages images) =>
        $"cow write --to {(ToOrigin ? "origin" : $"snapshot ({Path.GetFileName(images.Cows[Snapshot])})")} --offset {Offset} length {Length}" +
        $"{(AsByte ? $" --byte {Data[0]}" : " --in")} through {string.Join(",", CowOrder.Select(i => Path.GetFileName(images.Cows[i])))}";

    /// <summary>A random write of up to <paramref name="maxLength"/> bytes; long ones are as likely as short ones.</summary>
    public static CowWrite Random(Random random, ModelledImages images, long maxLength, double toSnapshot)
    {
        int snapshot = random.NextDouble() < toSnapshot ? random.Next(images.Cows.Count) : -1;
        long limit = Math.Min(maxLength, images.OriginBytes);
        long length = random.Next(3) == 0 ? random.NextInt64(1, Math.Min(limit, 64 << 10) + 1) : random.NextInt64(1, limit + 1);
        long offset = random.NextInt64(images.OriginBytes - length + 1);
        if (random.Next(3) == 0) offset = offset / 4096 * 4096; // page-aligned starts too
        bool asByte = random.Next(4) == 0;
        byte[] data = asByte ? Enumerable.Repeat((byte)random.Next(256), (int)length).ToArray() : SeededBytes.Make(random, (int)length);
        var order = Enumerable.Range(0, images.Cows.Count).OrderBy(_ => random.Next()).ToList();
        if (snapshot >= 0)
        {
            order.Remove(snapshot);
            order.Insert(0, snapshot);
        }
        return new CowWrite(snapshot, offset, data, asByte, order.ToArray());
    }

    /// <summary>The command line; writes the --in file into <paramref name="dir"/> when needed.</summary>
    public string[] Args(ModelledImages images, string dir)
    {
        var args = new List<string> { "cow", "write", "--origin", images.Origin };
        foreach (int i in CowOrder) args.AddRange(["--cow", images.Cows[i]]);
        args.AddRange(["--to", ToOrigin ? "origin" : "snapshot", "--offset", Fleetmerge.Text(Offset)]);
        if (AsByte) args.AddRange(["--byte", Fleetmerge.Text(Data[0]), "--length", Fleetmerge.Text(Length)]);
        else
        {
            string input = Path.Combine(dir, "write.bin");
            File.WriteAllBytes(input, Data);
            args.AddRange(["--in", input]);
        }
        return args.ToArray();
    }

    /// <summary>The model image this write changes.</summary>
    public byte[] Target(ModelledImages images) => ToOrigin ? images.OriginModel : images.Views[Snapshot];

    /// <summary>The target's model with this write applied (a new array).</summary>
    public byte[] After(ModelledImages images)
    {
        var after = (byte[])Target(images).Clone();
        Data.CopyTo(after, Offset);
        return after;
    }
}
