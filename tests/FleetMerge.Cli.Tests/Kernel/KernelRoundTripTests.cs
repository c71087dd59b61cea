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
}
