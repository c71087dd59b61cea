namespace FleetMerge.Torture.Cli;

/// <summary>
/// One merge scenario, as the former shell torture (ops/torture/cow-merge-kill.sh) built them: an origin of 32–64 MiB of random
/// bytes (one in five with a ragged last chunk); snapshot 1 (4K chunks) with many exceptions (long
/// runs and single chunks written in random order over many metadata areas, plus snapshot writes);
/// half the time snapshot 2 (16K chunks, merged with --also) made part way through the writes, with
/// writes of its own. Built once in its own directory (pristine files) and copied for several kill
/// trials; the expected views come from the byte-array model, checked against the files once here.
/// </summary>
public sealed class MergeSetup
{
    private const int Chunk = 4096;

    private MergeSetup(ModelledImages images, bool two, int writes)
    {
        Images = images;
        TwoSnapshots = two;
        Writes = writes;
    }

    public ModelledImages Images { get; }

    public bool TwoSnapshots { get; }

    public int Writes { get; }

    /// <summary>Snapshot 1's view before the merge: what the origin holds after it.</summary>
    public byte[] Expected1 => Images.Views[0];

    /// <summary>Snapshot 2's view: it never changes.</summary>
    public byte[]? Expected2 => TwoSnapshots ? Images.Views[1] : null;

    public IEnumerable<string> Files => [Images.Origin, .. Images.Cows];

    public string Describe() =>
        $"origin {Images.OriginBytes} bytes, {(TwoSnapshots ? "2 snapshots" : "1 snapshot")}, {Writes} writes, {RawCow.Read(Images.Cows[0]).Entries.Count} exceptions";

    public static MergeSetup Build(Random random, string dir)
    {
        Directory.CreateDirectory(dir);
        var images = new ModelledImages(dir);
        long originBytes = (32L + random.Next(33)) << 20;
        if (random.Next(5) == 0) originBytes += (random.Next(31) + 1) * 512L; // a ragged last chunk
        images.CreateOrigin(random, originBytes);
        long cowBytes = (((originBytes + originBytes / 256 + 65536) >> 20) + 2) << 20;
        images.AddCow("snap1.cow", cowBytes, Chunk);
        bool two = random.Next(2) == 1;
        int runs = 8 + random.Next(9), singles = 10 + random.Next(21), snapshotWrites = 1 + random.Next(4);
        int writes;
        if (two)
        {
            writes = Mix(random, images, runs / 2 + 1, singles / 2, 1);
            images.AddCow("snap2.cow", cowBytes, 4 * Chunk);
            writes += Mix(random, images, runs - runs / 2, singles - singles / 2, snapshotWrites);
            int own = 1 + random.Next(3);
            for (int i = 0; i < own; i++)
            {
                long offset = random.NextInt64(originBytes - 1);
                images.WriteSnapshot(1, offset, Bytes(random, Clip(originBytes, offset, random.Next(16 * 16384) + 1)));
            }
            writes += own;
        }
        else writes = Mix(random, images, runs, singles, snapshotWrites);
        if (images.Check("the scenario before the merge (in-process writes)") is { } problem)
            throw new InvalidOperationException(problem.Problem);
        return new MergeSetup(images, two, writes);
    }

    /// <summary>Runs (up to 3000 chunks, a third unaligned), single partial chunks and snapshot-1 writes, shuffled.</summary>
    private static int Mix(Random random, ModelledImages images, int runs, int singles, int snapshotWrites)
    {
        long originBytes = images.OriginBytes, chunks = (originBytes + Chunk - 1) / Chunk;
        var kinds = Enumerable.Repeat(0, runs).Concat(Enumerable.Repeat(1, singles)).Concat(Enumerable.Repeat(2, snapshotWrites)).ToArray();
        random.Shuffle(kinds);
        foreach (int kind in kinds)
        {
            long offset;
            long length;
            switch (kind)
            {
                case 0:
                    offset = random.NextInt64(chunks) * Chunk;
                    length = (random.Next(3000) + 1L) * Chunk;
                    if (random.Next(3) == 0)
                    {
                        offset += random.Next(Chunk);
                        length = Math.Max(1, length - random.Next(Chunk));
                    }
                    offset = Math.Min(offset, originBytes - 1);
                    images.WriteOrigin(offset, Bytes(random, Clip(originBytes, offset, length)));
                    break;
                case 1:
                    offset = Math.Min(random.NextInt64(chunks) * Chunk + random.Next(2048), originBytes - 1);
                    length = random.Next(Chunk - (int)(offset % Chunk)) + 1;
                    images.WriteOrigin(offset, Bytes(random, Clip(originBytes, offset, length)));
                    break;
                default:
                    offset = random.NextInt64(originBytes - 1);
                    images.WriteSnapshot(0, offset, Bytes(random, Clip(originBytes, offset, random.Next(64 * Chunk) + 1)));
                    break;
            }
        }
        return kinds.Length;
    }

    private static int Clip(long originBytes, long offset, long length) => (int)Math.Max(1, Math.Min(length, originBytes - offset));

    /// <summary>One write's bytes: a fill byte one time in four, else random.</summary>
    private static byte[] Bytes(Random random, int length)
    {
        if (random.Next(4) != 0) return SeededBytes.Make(random, length);
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)random.Next(256));
        return bytes;
    }
}
