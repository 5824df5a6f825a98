using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Slipway.Execution;
using Slipway.Release.Signing;

namespace Slipway.Release.Publishing;

/// <summary>
/// What one publish put into the registry, by digest: written once, at the end, as <c>artifacts/release.json</c>.
/// The JSON shape is a contract (exact keys, stable order); <see cref="ImageRecord"/> is null when no image was built.
/// </summary>
public sealed partial record ReleaseRecord
{
    public ReleaseRecord(
        string version, string gitSha, bool dirty, DateTimeOffset createdAt, ChartRecord chart, ImageRecord? image, SigningRecord signing,
        SignatureVerificationRecord signatureVerification, AnonymousPullRecord anonymousPull)
    {
        Version = Versioning.SemanticVersion.TryParse(version, out _)
            ? version
            : throw new ArgumentException($"Release version '{version}' is not strict SemVer.", nameof(version));
        GitSha = ShaPattern().IsMatch(gitSha) ? gitSha : throw new ArgumentException($"Git sha '{gitSha}' is not 40 lowercase hex digits.", nameof(gitSha));
        Dirty = dirty;
        CreatedAt = createdAt;
        Chart = chart ?? throw new ArgumentNullException(nameof(chart));
        Image = image;
        Signing = signing ?? throw new ArgumentNullException(nameof(signing));
        SignatureVerification = signatureVerification ?? throw new ArgumentNullException(nameof(signatureVerification));
        AnonymousPull = anonymousPull ?? throw new ArgumentNullException(nameof(anonymousPull));
    }

    [JsonPropertyName("version")]
    [JsonPropertyOrder(0)]
    public string Version { get; }

    [JsonPropertyName("gitSha")]
    [JsonPropertyOrder(1)]
    public string GitSha { get; }

    /// <summary>The working tree had uncommitted changes (released with --allow-dirty): the release is not of <see cref="GitSha"/> alone, and its version says so.</summary>
    [JsonPropertyName("dirty")]
    [JsonPropertyOrder(2)]
    public bool Dirty { get; }

    /// <summary>The commit time, not the wall clock, so the record of a rebuilt commit is the same.</summary>
    [JsonPropertyName("createdAt")]
    [JsonPropertyOrder(3)]
    [JsonConverter(typeof(UtcSecondsConverter))]
    public DateTimeOffset CreatedAt { get; }

    [JsonPropertyName("chart")]
    [JsonPropertyOrder(4)]
    public ChartRecord Chart { get; }

    [JsonPropertyName("image")]
    [JsonPropertyOrder(5)]
    public ImageRecord? Image { get; }

    [JsonPropertyName("signing")]
    [JsonPropertyOrder(6)]
    public SigningRecord Signing { get; }

    [JsonPropertyName("signatureVerification")]
    [JsonPropertyOrder(7)]
    public SignatureVerificationRecord SignatureVerification { get; }

    [JsonPropertyName("anonymousPull")]
    [JsonPropertyOrder(8)]
    public AnonymousPullRecord AnonymousPull { get; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A file for people and tools, never embedded in HTML: reasons keep their quotes readable ('id-token: write').
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Indented JSON with LF line ends and a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static ReleaseRecord FromJson(string json) =>
        JsonSerializer.Deserialize<ReleaseRecord>(json, Options) ?? throw new JsonException("release.json holds null, not a release record.");

    /// <summary>Writes <c>release.json</c> into <paramref name="artifactsDirectory"/> and returns its path.</summary>
    public string WriteTo(string artifactsDirectory)
    {
        Directory.CreateDirectory(artifactsDirectory);
        var path = Path.Combine(artifactsDirectory, "release.json");
        File.WriteAllText(path, ToJson(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    internal static string RequireDigest(string digest, string what) =>
        DigestPattern().IsMatch(digest) ? digest : throw new ArgumentException($"{what} digest '{digest}' is not sha256:<64 lowercase hex>.");

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex ShaPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    private sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}

/// <summary>The pushed chart: <c>&lt;registry&gt;/charts/&lt;name&gt;:&lt;version&gt;</c> and the manifest digest read back from the registry.</summary>
public sealed record ChartRecord
{
    public ChartRecord(string reference, string digest)
    {
        Reference = string.IsNullOrWhiteSpace(reference) ? throw new ArgumentException("Chart reference is empty.", nameof(reference)) : reference;
        Digest = ReleaseRecord.RequireDigest(digest, "Chart");
    }

    [JsonPropertyName("reference")]
    [JsonPropertyOrder(0)]
    public string Reference { get; }

    [JsonPropertyName("digest")]
    [JsonPropertyOrder(1)]
    public string Digest { get; }
}

/// <summary>The pushed image index and the manifest digest of each platform in it.</summary>
public sealed record ImageRecord
{
    public ImageRecord(string reference, string digest, IReadOnlyList<PlatformRecord> platforms)
    {
        Reference = string.IsNullOrWhiteSpace(reference) ? throw new ArgumentException("Image reference is empty.", nameof(reference)) : reference;
        Digest = ReleaseRecord.RequireDigest(digest, "Image");
        Platforms = platforms ?? throw new ArgumentNullException(nameof(platforms));
    }

    [JsonPropertyName("reference")]
    [JsonPropertyOrder(0)]
    public string Reference { get; }

    [JsonPropertyName("digest")]
    [JsonPropertyOrder(1)]
    public string Digest { get; }

    [JsonPropertyName("platforms")]
    [JsonPropertyOrder(2)]
    public IReadOnlyList<PlatformRecord> Platforms { get; }

    public bool Equals(ImageRecord? other) =>
        other is not null && Reference == other.Reference && Digest == other.Digest && Platforms.SequenceEqual(other.Platforms);

    public override int GetHashCode() => HashCode.Combine(Reference, Digest, Platforms.Count);
}

public sealed record PlatformRecord
{
    public PlatformRecord(string platform, string digest)
    {
        Platform = string.IsNullOrWhiteSpace(platform) ? throw new ArgumentException("Platform is empty.", nameof(platform)) : platform;
        Digest = ReleaseRecord.RequireDigest(digest, $"Platform {platform}");
    }

    /// <summary><c>os/arch[/variant]</c>, e.g. <c>linux/amd64</c>.</summary>
    [JsonPropertyName("platform")]
    [JsonPropertyOrder(0)]
    public string Platform { get; }

    [JsonPropertyName("digest")]
    [JsonPropertyOrder(1)]
    public string Digest { get; }
}

[JsonConverter(typeof(JsonStringEnumConverter<SigningStatus>))]
public enum SigningStatus
{
    [JsonStringEnumMemberName("signed")]
    Signed,

    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>Whether the release was signed; <see cref="Reason"/> says why not, or how (keyless, key).</summary>
public sealed record SigningRecord(
    [property: JsonPropertyName("status"), JsonPropertyOrder(0)] SigningStatus Status,
    [property: JsonPropertyName("reason"), JsonPropertyOrder(1)] string Reason)
{
    /// <summary>From how the Sign target ended: its skip reason is the record's, so "skipped" is said once, by the engine.</summary>
    public static SigningRecord From(TargetOutcome sign, SigningOutcome? signed)
    {
        ArgumentNullException.ThrowIfNull(sign);
        return (sign.Status, signed) switch
        {
            (TargetStatus.Succeeded, SigningOutcome.Signed done) => new(SigningStatus.Signed, $"{done.Mode.ToString().ToLowerInvariant()}: {string.Join(", ", done.References)}"),
            (TargetStatus.Skipped, _) => new(SigningStatus.Skipped, sign.Reason ?? sign.StatusText),
            _ => new(SigningStatus.Failed, sign.Reason ?? sign.StatusText),
        };
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<VerificationStatus>))]
public enum VerificationStatus
{
    [JsonStringEnumMemberName("verified")]
    Verified,

    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>
/// Whether every signed digest verified, against which identity (the keyless certificate's subject and its OIDC issuer, or
/// the public key's fingerprint), and which digests; <see cref="Detail"/> says with which cosign, or why it did not verify.
/// </summary>
public sealed record SignatureVerificationRecord(
    [property: JsonPropertyName("status"), JsonPropertyOrder(0)] VerificationStatus Status,
    [property: JsonPropertyName("identity"), JsonPropertyOrder(1)] string? Identity,
    [property: JsonPropertyName("issuer"), JsonPropertyOrder(2)] string? Issuer,
    [property: JsonPropertyName("verified"), JsonPropertyOrder(3)] IReadOnlyList<string> Verified,
    [property: JsonPropertyName("detail"), JsonPropertyOrder(4)] string Detail)
{
    /// <summary>From how the VerifySignature target ended: its skip reason, its failure, or what it verified.</summary>
    public static SignatureVerificationRecord From(TargetOutcome verify, SignatureVerification? verified)
    {
        ArgumentNullException.ThrowIfNull(verify);
        return (verify.Status, verified) switch
        {
            (TargetStatus.Succeeded, { } done) => new(VerificationStatus.Verified, done.Against.Identity, done.Against.Issuer, done.Verified, done.Cosign.Describe()),
            (TargetStatus.Skipped, _) => new(VerificationStatus.Skipped, null, null, [], verify.Reason ?? verify.StatusText),
            _ => new(VerificationStatus.Failed, null, null, [], verify.Reason ?? verify.StatusText),
        };
    }

    public bool Equals(SignatureVerificationRecord? other) =>
        other is not null && Status == other.Status && Identity == other.Identity && Issuer == other.Issuer && Verified.SequenceEqual(other.Verified) && Detail == other.Detail;

    public override int GetHashCode() => HashCode.Combine(Status, Identity, Verified.Count);
}

[JsonConverter(typeof(JsonStringEnumConverter<AnonymousPullStatus>))]
public enum AnonymousPullStatus
{
    [JsonStringEnumMemberName("passed")]
    Passed,

    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>Whether the chart could be fetched with no credentials at all, and what was seen.</summary>
public sealed record AnonymousPullRecord(
    [property: JsonPropertyName("status"), JsonPropertyOrder(0)] AnonymousPullStatus Status,
    [property: JsonPropertyName("detail"), JsonPropertyOrder(1)] string Detail)
{
    /// <summary>From how the VerifyAnonymousPull target ended: anything but success (a failure, a skip, not run) did not verify.</summary>
    public static AnonymousPullRecord From(TargetOutcome verify, AnonymousPull? pulled)
    {
        ArgumentNullException.ThrowIfNull(verify);
        return verify.Status == TargetStatus.Succeeded && pulled is not null
            ? new(AnonymousPullStatus.Passed, pulled.Detail)
            : new(AnonymousPullStatus.Failed, verify.Reason ?? verify.StatusText);
    }
}
