using FleetMerge.Storage;

namespace FleetMerge.Cli;

/// <summary>Turns any failure into one line on stderr and a meaningful exit code.</summary>
public static class CliRun
{
    public static int Guard(Func<int> action)
    {
        try { return action(); }
        catch (BadRequestException e) { return Fail(e.Message, ExitCodes.Usage); }
        catch (StorageException e) { return Fail(e.Message, ExitCodes.Failed); }
        catch (IOException e) { return Fail(e.Message, ExitCodes.Failed); }
        catch (UnauthorizedAccessException e) { return Fail(e.Message, ExitCodes.Failed); }
    }

    public static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"fleetmerge: {message}");
        return code;
    }
}
