using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Release.Kubernetes;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// What one PR smoke run may have created, written before it creates it, so that a process killed halfway (SIGKILL after
/// the runner's grace period) leaves a record <c>PrSmokeTeardown</c> can finish from. The namespace is the run's key.
/// </summary>
/// <param name="KindCluster">A kind cluster this run created (and so deletes); null when it created none.</param>
/// <param name="Release">The helm release, once the run is about to install it.</param>
public sealed record PrSmokeState(
    string Namespace,
    KubeConnection Connection,
    string? KindCluster,
    string? Release,
    [property: JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset CreatedAt)
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
}

/// <summary>The state files of this checkout: one per run under <c>.nuke/temp/pr-smoke/</c>, replaced atomically.</summary>
public sealed class PrSmokeStateStore(string directory)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string Directory => directory;

    public string PathFor(string namespaceName) => Path.Combine(directory, $"{namespaceName}.json");

    /// <summary>Written to a temporary file and renamed over the old one: a kill mid-write leaves the previous version whole.</summary>
    public void Save(PrSmokeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        System.IO.Directory.CreateDirectory(directory);
        var path = PathFor(state.Namespace);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every run's state, oldest first; a file that does not parse is reported, never guessed at.</summary>
    /// <exception cref="PrSmokeException">A state file is unreadable; the message names it.</exception>
    public IReadOnlyList<PrSmokeState> LoadAll()
    {
        if (!System.IO.Directory.Exists(directory))
            return [];
        var states = new List<PrSmokeState>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                states.Add(JsonSerializer.Deserialize<PrSmokeState>(File.ReadAllText(file), Options)
                    ?? throw new JsonException("the file holds null"));
            }
            catch (JsonException error)
            {
                throw new PrSmokeException($"{file} is not a PR smoke state file ({error.Message}). Tear down what it names by hand (kubectl delete namespace <name>), then delete the file.");
            }
        }

        return [.. states.OrderBy(state => state.CreatedAt)];
    }

    public void Delete(string namespaceName) => File.Delete(PathFor(namespaceName));
}
