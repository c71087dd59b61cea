using FleetMerge.Storage;

namespace FleetMerge.Cli.Node;

/// <summary>
/// <see cref="CliRun.Guard"/> for the node palettes: every failure becomes one line on stderr
/// and its exit code; nothing, not even a bug, reaches the operator as a stack trace.
/// </summary>
public static class RemoteRun
{
    public static async Task<int> Guard(Func<Task<int>> action, CancellationToken cancel)
    {
        try
        {
            return await action();
        }
        catch (NodeException e) { return CliRun.Fail(e.Message, e.ExitCode); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { return CliRun.Fail("interrupted", ExitCodes.Interrupted); }
        catch (BadRequestException e) { return CliRun.Fail(e.Message, ExitCodes.Usage); }
        catch (FleetMerge.Storage.Groups.BadNameException e) { return CliRun.Fail(e.Message, ExitCodes.Usage); }
        catch (StorageException e) { return CliRun.Fail(e.Message, ExitCodes.Failed); }
        catch (IOException e) { return CliRun.Fail(NodeClient.OneLine(e.Message), ExitCodes.Failed); }
        catch (UnauthorizedAccessException e) { return CliRun.Fail(NodeClient.OneLine(e.Message), ExitCodes.Failed); }
        catch (Exception e) { return CliRun.Fail($"internal error ({e.GetType().Name}): {NodeClient.OneLine(e.Message)}", ExitCodes.Failed); }
    }
}
