using System.Text;

namespace FleetMerge.Storage.Tests.Support;

/// <summary>
/// The oracle's data pattern, written independently of the engine: each 512-byte sector is the
/// 64-byte line "TAG sector=S gen=G" space-padded to 63 characters plus '\n', eight times.
/// </summary>
public static class OraclePattern
{
    public static byte[] Sectors(string tag, long firstSector, int count, long gen)
    {
        byte[] bytes = new byte[count * 512];
        for (int i = 0; i < count; i++)
        {
            string line = $"{tag} sector={firstSector + i} gen={gen}".PadRight(63) + "\n";
            byte[] l = Encoding.ASCII.GetBytes(line);
            for (int k = 0; k < 8; k++) l.CopyTo(bytes, i * 512 + k * 64);
        }
        return bytes;
    }
}
