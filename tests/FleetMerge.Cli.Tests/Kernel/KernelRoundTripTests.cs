using System.Text;

namespace FleetMerge.Cli.Tests.Kernel;

/// <summary>
/// The live half of the compatibility bar: a store written by `fleetmerge cow write` is handed to
/// the real kernel's dm-snapshot (booted in qemu by tests/oracle/kernel-read.sh), which must show
/// the same snapshot view and status as FleetMerge and leave the store as it found it.
/// </summary>
public class KernelRoundTripTests
{
    private static byte[] Pattern(string tag, int sectors, int gen)
    {
        var bytes = new byte[sectors * 512];
        for (int s = 0; s < sectors; s++)
        {
            var line = Encoding.ASCII.GetBytes($"{tag} sector={s} gen={gen}".PadRight(63) + "\n");
            for (int k = 0; k < 8; k++) line.CopyTo(bytes, s * 512 + k * 64);
        }
        return bytes;
    }

    [Fact]
    public void The_kernel_reads_a_FleetMerge_store_as_FleetMerge_does()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("o.img"), Pattern("ORIGIN", 16 << 11, 0)); // 16 MiB
        File.WriteAllBytes(dir.File("big.bin"), Pattern("BIG", 2 << 11, 1));   // 2 MiB: 512 chunks, crosses area 0 → 1
        void Ok(params string[] args)
        {
            var r = CliProcess.Run(dir.Path, args);
            Assert.True(r.ExitCode == 0, $"fleetmerge {string.Join(' ', args)}: {r.Stderr}");
        }
        Ok("cow", "format", "c.img", "--size", "4M", "--chunk-size", "4K");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "1M", "--in", "big.bin");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "12345", "--byte", "0x5a", "--length", "777");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "8M", "--byte", "0xc3", "--length", "20K");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "1200K", "--byte", "0x3c", "--length", "512");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "8M", "--byte", "0x11", "--length", "64K");
        Ok("cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "view.img");
        string status = CliProcess.Run(dir.Path, "cow", "inspect", "c.img").Stdout
            .Split('\n').Single(l => l.StartsWith("status")).Split(' ', 2)[1].Trim();
        string cowSha = TempDir.Sha(dir.File("c.img")).ToLowerInvariant();

        string outDir = Path.Combine(dir.Path, "kernel");
        Directory.CreateDirectory(outDir);
        var kernel = Oracle.Run("kernel-read.sh", outDir, dir.File("o.img"), dir.File("c.img"), "8");

        Assert.Equal(TempDir.Sha(dir.File("view.img")).ToLowerInvariant(), kernel.Value("sha256", "snap_view"));
        Assert.Equal($"0 32768 snapshot {status}", kernel.Value("status", "snap"));
        Assert.Equal(cowSha, kernel.Value("sha256", "cow1.img"));
    }

    [Fact]
    public void The_kernels_merge_of_a_FleetMerge_store_gives_FleetMerges_merge()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("o.img"), Pattern("ORIGIN", 16 << 11, 0));
        File.WriteAllBytes(dir.File("big.bin"), Pattern("BIG", 3 << 11, 1)); // 3 MiB: crosses metadata areas
        void Ok(params string[] args)
        {
            var r = CliProcess.Run(dir.Path, args);
            Assert.True(r.ExitCode == 0, $"fleetmerge {string.Join(' ', args)}: {r.Stderr}");
        }
        Ok("cow", "format", "c.img", "--size", "8M", "--chunk-size", "4K");
        Ok("cow", "format", "d.img", "--size", "8M", "--chunk-size", "16K");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", "2M", "--in", "big.bin");
        for (int i = 0; i < 40; i++) // scattered chunks: single-chunk batches
            Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "origin", "--offset", $"{(i * 7919 % 4000) * 4}K", "--byte", $"{i}", "--length", "1000");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--to", "snapshot", "--offset", "10M", "--byte", "0xc3", "--length", "100K");
        Ok("cow", "write", "--origin", "o.img", "--cow", "c.img", "--cow", "d.img", "--to", "origin", "--offset", "1M", "--byte", "0x11", "--length", "2M");
        Ok("cow", "read", "--origin", "o.img", "--cow", "c.img", "--out", "expected-origin.img");
        Ok("cow", "read", "--origin", "o.img", "--cow", "d.img", "--out", "d-view.img");

        string kernelDir = Path.Combine(dir.Path, "kernel");
        Directory.CreateDirectory(kernelDir);
        var kernel = Oracle.Run("kernel-merge.sh", kernelDir, dir.File("o.img"), dir.File("c.img"), "8", dir.File("d.img"), "32");

        Ok("cow", "merge", "--origin", "o.img", "--cow", "c.img", "--also", "d.img");
        string expected = TempDir.Sha(dir.File("expected-origin.img")).ToLowerInvariant();
        Assert.Equal(expected, TempDir.Sha(dir.File("o.img")).ToLowerInvariant());
        Assert.Equal(expected, kernel.Value("sha256", "origin.img"));
        Assert.Equal(TempDir.Sha(dir.File("c.img")).ToLowerInvariant(), kernel.Value("sha256", "cow1.img"));
        Assert.Equal(TempDir.Sha(dir.File("d.img")).ToLowerInvariant(), kernel.Value("sha256", "cow2.img"));
        Assert.Equal(TempDir.Sha(dir.File("d-view.img")).ToLowerInvariant(), kernel.Value("sha256", "view2_after"));
    }
}
