using Microsoft.Extensions.Logging.Console;

namespace FleetMerge.Node.Observability;

/// <summary>How the node writes its log lines (<c>--log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>One line per entry: time, level, category, message. The default.</summary>
    Simple,

    /// <summary>One JSON object per line (the console JSON formatter): named template properties and scopes as fields, for a log shipper.</summary>
    Json,
}

/// <summary>
/// The node's console logging: everything on stderr (stdout carries only the ready line), one line
/// per entry in the chosen <see cref="LogFormat"/>. Ids are in the messages as host=… vg=… lv=…
/// campaign=… (Akka's log lines) or as named template properties (the node's own).
/// </summary>
public static class NodeLogging
{
    public static ILoggingBuilder AddNodeConsole(this ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }

    /// <summary>"simple" or "json" (any case); null when the text is neither.</summary>
    public static LogFormat? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "simple" => LogFormat.Simple,
        "json" => LogFormat.Json,
        _ => null,
    };
}
