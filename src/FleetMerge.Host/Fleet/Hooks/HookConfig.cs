using FleetMerge.Protocol.Fleet;
using System.Text.Json;

namespace FleetMerge.Host.Fleet.Hooks;

/// <summary>
/// The hooks of a real host, from DATA_DIR/hooks.json:
/// <code>
/// { "upgrade": { "command": ["/usr/bin/apt-get", "-y", "dist-upgrade"], "timeout": "30m" },
///   "health":  { "command": ["/usr/local/bin/health-check"] },
///   "reboot":  { "command": ["/usr/bin/systemctl", "reboot"], "timeout": "2m" } }
/// </code>
/// A command is a program and its arguments, run without a shell. The file is read at every hook
/// step, so an edit takes effect without a restart; no file means no hooks.
/// </summary>
public sealed record HookConfig(string Path, IReadOnlyDictionary<string, HookCommand> Hooks)
{
    public const string FileName = "hooks.json";

    public HookCommand? Find(string name) => Hooks.GetValueOrDefault(name);

    public static HookConfig Load(string dataDirectory)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FileName);
        if (!File.Exists(path)) return new HookConfig(path, new Dictionary<string, HookCommand>());
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HookConfigException($"{path}: cannot read: {e.Message}", e);
        }
        return Parse(path, text);
    }

    public static HookConfig Parse(string path, string json)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new HookConfigException($"{path}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new HookConfigException($"{path}: expected an object of hooks by name, like {{\"upgrade\": {{\"command\": [\"/usr/bin/apt-get\", \"-y\", \"dist-upgrade\"]}}}}");
            var hooks = new Dictionary<string, HookCommand>(StringComparer.Ordinal);
            foreach (var hook in root.EnumerateObject()) hooks[hook.Name] = ParseHook(path, hook.Name, hook.Value);
            return new HookConfig(path, hooks);
        }
    }

    private static HookCommand ParseHook(string path, string name, JsonElement value)
    {
        string where = $"{path}: hook '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new HookConfigException($"{where}: expected an object with \"command\" (and optionally \"timeout\")");
        IReadOnlyList<string>? command = null;
        TimeSpan? timeout = null;
        foreach (var field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "command":
                    if (field.Value.ValueKind != JsonValueKind.Array || field.Value.GetArrayLength() == 0
                        || field.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(a.GetString())))
                        throw new HookConfigException($"{where}: \"command\" must be a non-empty array of non-empty strings (the program, then its arguments; no shell)");
                    command = [.. field.Value.EnumerateArray().Select(a => a.GetString()!)];
                    break;
                case "timeout":
                    if (field.Value.ValueKind != JsonValueKind.String || !Durations.TryParse(field.Value.GetString(), out var t))
                        throw new HookConfigException($"{where}: \"timeout\" must be a duration like \"90s\", \"30m\" or \"1h\"");
                    timeout = t;
                    break;
                default:
                    throw new HookConfigException($"{where}: unknown field \"{field.Name}\" (expected \"command\" and \"timeout\")");
            }
        }
        return command is null
            ? throw new HookConfigException($"{where}: \"command\" is missing")
            : new HookCommand(command, timeout);
    }
}
