namespace FleetMerge.Storage.Volumes;

internal static class Requests
{
    public static void CheckRange(string device, long deviceLength, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > deviceLength || length > deviceLength - offset)
            throw new BadRequestException(
                $"{device} I/O at byte {offset} length {length} is outside the device ({deviceLength} bytes)");
    }
}
