using System.Collections.Frozen;
using System.Text.RegularExpressions;
using FleetMerge.Protocol;

namespace FleetMerge.Node.Serialization;

/// <summary>
/// The persisted types and their manifests, both ways. A manifest is what a journal row stores
/// instead of a CLR type name: lowercase dotted words ending in a version, e.g.
/// "volume.created.v1". A manifest is forever: never reuse or rename one; to change an event's
/// shape incompatibly, add a new type with ".v2" and keep reading ".v1".
/// </summary>
public sealed partial class ManifestRegistry
{
    private readonly FrozenDictionary<string, Type> byManifest;
    private readonly FrozenDictionary<Type, string> byType;

    private ManifestRegistry(Dictionary<string, Type> byManifest)
    {
        this.byManifest = byManifest.ToFrozenDictionary(StringComparer.Ordinal);
        byType = byManifest.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);
    }

    public IReadOnlyCollection<string> Manifests => byManifest.Keys;

    public bool TryGetType(string manifest, out Type type) => byManifest.TryGetValue(manifest, out type!);

    public bool TryGetManifest(Type type, out string manifest) => byType.TryGetValue(type, out manifest!);

    [GeneratedRegex("^[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*\\.v[0-9]+$")]
    private static partial Regex ManifestPattern();

    /// <summary>Builds a registry of types implementing <paramref name="marker"/> (default: IPersisted; WireManifests uses IWireMessage).</summary>
    public sealed class Builder(Type? marker = null)
    {
        private readonly Type marker = marker ?? typeof(IPersisted);
        private readonly Dictionary<string, Type> byManifest = new(StringComparer.Ordinal);
        private readonly HashSet<Type> types = [];

        /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/> (one line per persisted type).</summary>
        public Builder Add<T>(string manifest) where T : IPersisted => Add(typeof(T), manifest);

        public Builder AddAll(IEnumerable<(Type Type, string Manifest)> types)
        {
            foreach (var (type, manifest) in types) Add(type, manifest);
            return this;
        }

        public Builder Add(Type type, string manifest)
        {
            if (!marker.IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
                throw new ArgumentException($"{type.FullName}: only concrete {marker.Name} types get a manifest here", nameof(type));
            if (!ManifestPattern().IsMatch(manifest))
                throw new ArgumentException($"manifest '{manifest}' for {type.FullName}: use lowercase dotted words ending in a version, e.g. 'volume.created.v1'", nameof(manifest));
            if (byManifest.TryGetValue(manifest, out var taken))
                throw new ArgumentException($"manifest '{manifest}' is already registered for {taken.FullName}", nameof(manifest));
            if (!types.Add(type))
                throw new ArgumentException($"{type.FullName} is already registered under another manifest", nameof(type));
            byManifest.Add(manifest, type);
            return this;
        }

        public ManifestRegistry Build() => new(byManifest);
    }
}
