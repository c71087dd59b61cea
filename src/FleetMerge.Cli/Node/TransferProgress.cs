using System.Globalization;
using Spectre.Console;

namespace FleetMerge.Cli.Node;

/// <summary>
/// Progress of a long `lv read`/`lv write` on stderr (stdout keeps the result): a Spectre bar on
/// a terminal, otherwise one line per request.
/// </summary>
public static class TransferProgress
{
    public static async Task<T> Run<T>(string description, long total, bool show, Func<Action<long>, Task<T>> body)
    {
        if (!show) return await body(_ => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
            return await body(done => Console.Error.WriteLine(
                $"{description}: {(100.0 * done / Math.Max(1, total)).ToString("0.00", CultureInfo.InvariantCulture)}% ({LvmFormat.Size(done)} of {LvmFormat.Size(total)})"));
        T result = default!;
        await console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask(description, maxValue: Math.Max(1, total));
            result = await body(done => task.Value = done);
        });
        return result;
    }
}
