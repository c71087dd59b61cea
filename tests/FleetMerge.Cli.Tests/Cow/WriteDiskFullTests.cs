using FleetMerge.Torture.Cli;

namespace FleetMerge.Cli.Tests.Cow;

/// <summary>
/// `cow write` whose COW lives on a full filesystem (found by the disk-full-write torture scenario):
/// it used to invalidate the snapshot part way through (the engine drops a snapshot whose COW write
/// fails); now the write reserves the COW space first and fails with one line, touching nothing.
/// Mounts a small tmpfs (the tests run as root).
/// </summary>
public sealed class WriteDiskFullTests
{
    [Fact]
    public void A_write_that_cannot_get_COW_space_fails_with_one_line_and_keeps_the_snapshot()
    {
        using var dir = new TempDir();
        using (var tmpfs = Tmpfs.Mount(dir.File("small"), 512))
        {
            string small = tmpfs.Dir;
            string origin = dir.File("origin.img"), cow = Path.Combine(small, "a.cow"), data = dir.File("data.bin");
            var before = new byte[2 << 20];
            new Random(7).NextBytes(before);
            File.WriteAllBytes(origin, before);
            File.WriteAllBytes(data, Enumerable.Repeat((byte)0x5a, 1 << 20).ToArray());
            Assert.Equal(0, CliProcess.Run(dir.Path, "cow", "format", cow, "--size", "4M").ExitCode); // sparse: more than the tmpfs holds

            var write = CliProcess.Run(dir.Path, "cow", "write", "--origin", origin, "--cow", cow, "--to", "origin", "--offset", "0", "--in", data);

            Assert.Equal(3, write.ExitCode);
            var line = Assert.Single(write.StderrLines);
            Assert.StartsWith("fleetmerge: ", line);
            Assert.Contains("No space left on device", line);
            Assert.Equal(before, File.ReadAllBytes(origin));
            var inspect = CliProcess.Run(dir.Path, "cow", "inspect", cow, "--json");
            Assert.Contains("\"valid\": 1", inspect.Stdout);
            Assert.Contains("\"exceptions\": 0", inspect.Stdout);
        }
    }
}
