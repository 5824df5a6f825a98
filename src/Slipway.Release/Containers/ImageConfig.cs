using System.Text.Json;

namespace Slipway.Release.Containers;

/// <summary>What an image's config says about running it (the OCI image config's <c>config</c> object) and its platform.</summary>
public sealed record ImageConfig
{
    public string Os { get; init; } = "linux";

    /// <summary>GOARCH spelling, as OCI uses it: amd64, arm64, arm, ...</summary>
    public required string Architecture { get; init; }

    public string? Variant { get; init; }

    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    public IReadOnlyList<string> Cmd { get; init; } = [];

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>As written: <c>uid</c>, <c>uid:gid</c>, or a name; empty means root.</summary>
    public string User { get; init; } = string.Empty;

    /// <summary><c>NAME=value</c> entries in order.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string Platform => $"{Os}/{Architecture}{(string.IsNullOrEmpty(Variant) ? string.Empty : "/" + Variant)}";

    /// <summary>Reads an OCI (or Docker v2) image config blob.</summary>
    /// <exception cref="FormatException">Not JSON, or without an architecture.</exception>
    public static ImageConfig Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var config = root.TryGetProperty("config", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : default;
            return new ImageConfig
            {
                Os = Text(root, "os") ?? "linux",
                Architecture = Text(root, "architecture") ?? throw new FormatException("The image config has no architecture."),
                Variant = Text(root, "variant"),
                Entrypoint = List(config, "Entrypoint"),
                Cmd = List(config, "Cmd"),
                WorkingDirectory = Text(config, "WorkingDir") is { Length: > 0 } directory ? directory : "/",
                User = Text(config, "User") ?? string.Empty,
                Env = List(config, "Env"),
            };
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The image config is not JSON: {exception.Message}", exception);
        }
    }

    /// <summary>The numeric user and group of <see cref="User"/>, when it is numeric (a name needs the image's /etc/passwd).</summary>
    public (long? Uid, long? Gid) NumericUser()
    {
        var parts = User.Split(':', 2);
        long? uid = long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var u) ? u : null;
        long? gid = parts.Length == 2 && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var g) ? g : null;
        return (User.Length == 0 ? 0 : uid, gid);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> List(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(item => item.GetString() ?? string.Empty)]
            : [];
}
