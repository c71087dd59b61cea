using FleetMerge.Storage.Groups;
using FleetMerge.Storage.Tests.Support;
using FleetMerge.Torture.Cli;

namespace FleetMerge.Storage.Tests.Groups;

/// <summary>
/// Volume files get all their space when they are created (LVM allocates extents at lvcreate): on a full
/// file system lvcreate is refused with one line and leaves nothing, and a volume that was created can
/// always be written and merged. Mounts a 3 MiB tmpfs (the tests run as root).
/// </summary>
public sealed class FullFileSystemTests
{
    private const int MiB = 1 << 20;

    [Fact]
    public void Creation_reserves_the_space_so_a_full_file_system_refuses_lvcreate_not_a_later_write()
    {
        using var temp = new TempDir();
        using (var tmpfs = Tmpfs.Mount(Path.Combine(temp.Path, "small"), 3 * 1024))
        {
            string mount = tmpfs.Dir;
            using var vg = VolumeGroup.Create(Path.Combine(mount, "vg0"), "vg0");
            vg.CreateOrigin("root", MiB);
            vg.Activate("root");
            string before = string.Join(",", Directory.GetFiles(Path.Combine(mount, "vg0")).Order());

            var refused = Assert.Throws<NoSpaceException>(() => vg.CreateSnapshot("root", "big", 3 * MiB));
            Assert.Contains("No space left on device", refused.Message);
            Assert.DoesNotContain('\n', refused.Message);
            Assert.Equal(before, string.Join(",", Directory.GetFiles(Path.Combine(mount, "vg0")).Order())); // nothing half-made

            // What fits was reserved in full: writing every byte of the origin through a snapshot that
            // copies every chunk cannot run out of space.
            vg.CreateSnapshot("root", "s1", 1100 * 1024); // 256 data chunks, their area and the header fit
            using (var session = vg.Open("root"))
            {
                var data = new byte[MiB];
                new Random(3).NextBytes(data);
                session.Write(0, data);
                session.Flush();
            }
            Assert.Equal("s1", Assert.Single(vg.Report(), r => r.Origin == "root").Lv);
            Assert.DoesNotContain(vg.Report(), r => r.Attr.Length > 4 && r.Attr[4] == 'I'); // no snapshot dropped
        }
    }
}
