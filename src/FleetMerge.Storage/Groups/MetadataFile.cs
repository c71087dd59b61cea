using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMerge.Storage.Groups;

/// <summary>
/// The group's metadata on disk: metadata.json in the group directory, indented JSON. Written
/// atomically (temporary file, fsync, rename over the old file, fsync of the directory), so a
/// crash leaves either the old or the new metadata, never a mix. A leftover metadata.json.tmp
/// (crash before the rename) is ignored and overwritten.
/// </summary>
internal static class MetadataFile
{
    public const string FileName = "metadata.json";
    private const string TemporaryName = FileName + ".tmp";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
    };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static string Serialize(GroupMetadata metadata) => JsonSerializer.Serialize(metadata, Options);

    /// <summary>Parses and checks metadata text; <paramref name="source"/> names it in messages.</summary>
    public static GroupMetadata Parse(string json, string source)
    {
        GroupMetadata? metadata;
        try { metadata = JsonSerializer.Deserialize<GroupMetadata>(json, Options); }
        catch (JsonException e) { throw new GroupMetadataException($"{source}: not valid volume group metadata: {OneLine(e.Message)}"); }
        if (metadata is null) throw new GroupMetadataException($"{source}: not valid volume group metadata: null");
        var findings = MetadataChecks.Findings(metadata);
        if (findings.Count > 0)
            throw new GroupMetadataException($"{source}: inconsistent volume group metadata: {findings[0]}" +
                                             (findings.Count > 1 ? $" (and {findings.Count - 1} more)" : ""));
        return metadata;
    }

    public static GroupMetadata Read(string directory)
    {
        string path = PathIn(directory);
        string json;
        try { json = File.ReadAllText(path); }
        catch (FileNotFoundException) { throw new VolumeNotFoundException($"{directory}: not a volume group ({FileName} is missing)"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GroupMetadataException($"{path}: cannot read: {e.Message}");
        }
        return Parse(json, path);
    }

    /// <summary>Writes and makes durable (rename, then fsync of the directory).</summary>
    public static void Write(string directory, GroupMetadata metadata)
    {
        Replace(directory, metadata);
        DirectorySync.Flush(directory);
    }

    /// <summary>
    /// Temporary file, fsync, rename over metadata.json: throws only when the old file is still
    /// in place, so a caller knows whether the change happened. The rename is durable once the
    /// directory is flushed.
    /// </summary>
    public static void Replace(string directory, GroupMetadata metadata)
    {
        string temporary = Path.Combine(directory, TemporaryName);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, metadata, Options);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, PathIn(directory), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new StorageException($"{PathIn(directory)}: writing the volume group metadata failed: {e.Message}");
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
