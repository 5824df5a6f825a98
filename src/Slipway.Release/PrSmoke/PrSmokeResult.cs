using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// What one PR smoke run did, written once at its end as <c>artifacts/pr-smoke.json</c> and read by the trusted job that
/// posts the PR comment. The JSON shape is a contract: exact keys in a stable order, every key present (null where a
/// value does not apply). Read by <see cref="Read(ReadOnlySpan{byte}, string)"/>, which treats the file as untrusted:
/// size-limited, unknown, missing, duplicated and mistyped fields refused, every value checked by <see cref="PrSmokeResultRules"/>.
/// </summary>
public sealed record PrSmokeResult(
    [property: JsonPropertyOrder(1)] string? Repository,
    [property: JsonPropertyOrder(2)] int? PullRequest,
    [property: JsonPropertyOrder(3)] string HeadSha,
    [property: JsonPropertyOrder(4)] string Version,
    [property: JsonPropertyOrder(5)] PrSmokeRun? Run,
    [property: JsonPropertyOrder(6)] PrSmokeStatus Status,
    [property: JsonPropertyOrder(7)] PrSmokeImage? Image,
    [property: JsonPropertyOrder(8)] PrSmokeCluster? Cluster,
    [property: JsonPropertyOrder(9)] string? Namespace,
    [property: JsonPropertyOrder(10)] string? ReleaseName,
    [property: JsonPropertyOrder(11)] IReadOnlyList<PrSmokeStep> Steps,
    [property: JsonPropertyOrder(12)] IReadOnlyList<PrSmokeCheck> SmokeChecks,
    [property: JsonPropertyOrder(13)] PrSmokeDiagnostics? Diagnostics,
    [property: JsonPropertyOrder(14), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset StartedAt,
    [property: JsonPropertyOrder(15), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset FinishedAt)
{
    public const int CurrentSchemaVersion = 1;

    public const string FileName = "pr-smoke.json";

    /// <summary>The format of the file; a reader refuses any other than <see cref="CurrentSchemaVersion"/>.</summary>
    [JsonPropertyOrder(0)]
    [JsonRequired]
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    /// <summary>Indented JSON with LF line ends and a final newline.</summary>
    /// <exception cref="PrSmokeResultException">A value breaks the contract; the message names the field.</exception>
    public string ToJson()
    {
        PrSmokeResultRules.Check(this, "the PR smoke result");
        var json = JsonSerializer.Serialize(this, Options) + "\n";
        return System.Text.Encoding.UTF8.GetByteCount(json) <= PrSmokeLimits.FileBytes
            ? json
            : throw new PrSmokeResultException($"The PR smoke result is larger than {PrSmokeLimits.FileBytes / 1024} KiB: shorten its details with {nameof(PrSmokeText)}.{nameof(PrSmokeText.Fit)}.");
    }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="artifactsDirectory"/> and returns its path.</summary>
    public string WriteTo(string artifactsDirectory)
    {
        var json = ToJson();
        Directory.CreateDirectory(artifactsDirectory);
        var path = Path.Combine(artifactsDirectory, FileName);
        File.WriteAllText(path, json, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    /// <summary>Reads an untrusted result file; <paramref name="path"/> larger than the limit is refused before it is read.</summary>
    /// <exception cref="PrSmokeResultException">Missing, unreadable, too large or not a valid result; the message names the file and the field.</exception>
    public static PrSmokeResult ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > PrSmokeLimits.FileBytes)
                throw TooLarge(path, stream.Length);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PrSmokeResultException($"{path}: cannot read the PR smoke result ({error.Message}). Download the run's pr-smoke artifact and pass its {FileName} with --result.", error);
        }

        return Read(bytes, path);
    }

    /// <summary>Parses and checks untrusted JSON; <paramref name="source"/> names where it came from in messages.</summary>
    /// <exception cref="PrSmokeResultException">Too large or not a valid result; the message names the source and the field.</exception>
    public static PrSmokeResult Read(ReadOnlySpan<byte> json, string source)
    {
        if (json.Length > PrSmokeLimits.FileBytes)
            throw TooLarge(source, json.Length);

        PrSmokeResult? result;
        try
        {
            result = JsonSerializer.Deserialize<PrSmokeResult>(json, Options);
        }
        catch (JsonException error)
        {
            throw new PrSmokeResultException($"{source}: {Field(error.Path)}: {Explain(error)}", error);
        }

        if (result is null)
            throw new PrSmokeResultException($"{source}: holds null, not a PR smoke result.");
        if (result.SchemaVersion != CurrentSchemaVersion)
            throw new PrSmokeResultException($"{source}: schemaVersion {result.SchemaVersion} is not supported; this Slipway reads schemaVersion {CurrentSchemaVersion}. Post it with the Slipway version that wrote it.");
        PrSmokeResultRules.Check(result, source);
        return result;
    }

    public bool Equals(PrSmokeResult? other) =>
        other is not null && ToComparable().Equals(other.ToComparable()) && Steps.SequenceEqual(other.Steps) && SmokeChecks.SequenceEqual(other.SmokeChecks);

    public override int GetHashCode() => HashCode.Combine(HeadSha, Version, Status, Steps.Count, SmokeChecks.Count);

    private object ToComparable() =>
        (SchemaVersion, Repository, PullRequest, HeadSha, Version, Run, Status, Image, Cluster, Namespace, ReleaseName, Diagnostics, StartedAt, FinishedAt);

    private static PrSmokeResultException TooLarge(string source, long bytes) =>
        new($"{source}: {bytes} bytes is larger than the {PrSmokeLimits.FileBytes / 1024} KiB a PR smoke result may have; refused unread.");

    private static string Field(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "at the top level" : path.TrimStart('$', '.');

    /// <summary>System.Text.Json's message without its position suffix and advice to .NET developers (the field is already named); a token of the wrong kind says which.</summary>
    private static string Explain(JsonException error)
    {
        if (error.InnerException is InvalidOperationException or FormatException)
            return $"wrong JSON type: {error.InnerException.Message}";
        var message = error.Message;
        foreach (var cut in new[] { " Path: ", " Consider " })
        {
            var at = message.IndexOf(cut, StringComparison.Ordinal);
            if (at >= 0)
                message = message[..at];
        }

        return message;
    }
}

/// <summary>The GitHub Actions run that produced the result; null outside CI.</summary>
public sealed record PrSmokeRun(
    [property: JsonPropertyOrder(0)] long Id,
    [property: JsonPropertyOrder(1)] int Attempt,
    [property: JsonPropertyOrder(2)] string Url);

/// <summary>The image the chart deployed: the reference it rendered and the manifest digest.</summary>
public sealed record PrSmokeImage(
    [property: JsonPropertyOrder(0)] string Reference,
    [property: JsonPropertyOrder(1)] string Digest);

/// <summary>Where the chart was deployed; <see cref="ServerVersion"/> is null when the server never answered.</summary>
public sealed record PrSmokeCluster(
    [property: JsonPropertyOrder(0)] PrSmokeClusterMode Mode,
    [property: JsonPropertyOrder(1)] string Context,
    [property: JsonPropertyOrder(2)] string? ServerVersion);

/// <summary>One step of the lane; every run lists all of <see cref="PrSmokeStepName"/> in that order (not reached: skipped).</summary>
public sealed record PrSmokeStep(
    [property: JsonPropertyOrder(0)] PrSmokeStepName Name,
    [property: JsonPropertyOrder(1)] PrSmokeStepStatus Status,
    [property: JsonPropertyOrder(2), JsonPropertyName("durationMs"), JsonConverter(typeof(MillisecondsConverter))] TimeSpan Duration,
    [property: JsonPropertyOrder(3)] string Detail);

/// <summary>One check of the smoke contract, as the contract checker reported it.</summary>
public sealed record PrSmokeCheck(
    [property: JsonPropertyOrder(0)] string Name,
    [property: JsonPropertyOrder(1)] bool Passed,
    [property: JsonPropertyOrder(2)] string Detail);

/// <summary>Where the diagnostics of a failed run were written (relative to the repository root, inside the run's artifacts) and what they show.</summary>
public sealed record PrSmokeDiagnostics(
    [property: JsonPropertyOrder(0)] string Location,
    [property: JsonPropertyOrder(1)] string Summary);

[JsonConverter(typeof(StrictEnumConverter<PrSmokeStatus>))]
public enum PrSmokeStatus
{
    Passed,
    Failed,
    Cancelled,
}

[JsonConverter(typeof(StrictEnumConverter<PrSmokeStepStatus>))]
public enum PrSmokeStepStatus
{
    Passed,
    Failed,
    Skipped,
    Cancelled,
}

[JsonConverter(typeof(StrictEnumConverter<PrSmokeClusterMode>))]
public enum PrSmokeClusterMode
{
    Kind,
    Current,
}

/// <summary>The steps of the lane, in the order the result lists them.</summary>
[JsonConverter(typeof(StrictEnumConverter<PrSmokeStepName>))]
public enum PrSmokeStepName
{
    Cluster,
    Image,
    Load,
    Namespace,
    Install,
    Workloads,
    Smoke,
    Diagnostics,
    Teardown,
}
