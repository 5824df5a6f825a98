using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Slipway.Release.PrSmoke;

/// <summary>An enum as its camelCase name only: no numbers, no other casing, no flag lists; a wrong value names the allowed ones.</summary>
internal sealed class StrictEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly (T Value, string Name)[] Names = [.. Enum.GetValues<T>().Select(value => (value, JsonNamingPolicy.CamelCase.ConvertName(value.ToString())))];

    public static string Allowed => string.Join(", ", Names.Select(entry => entry.Name));

    public static string NameOf(T value) => Names.First(entry => entry.Value.Equals(value)).Name;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected one of {Allowed} as a string, got {reader.TokenType}.");
        var text = reader.GetString();
        foreach (var (value, name) in Names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
                return value;
        }

        throw new JsonException($"'{PrSmokeText.Fit(text ?? string.Empty, 40)}' is not one of {Allowed}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(NameOf(value));
}

/// <summary>A UTC time to the second, <c>yyyy-MM-ddTHH:mm:ssZ</c> exactly.</summary>
internal sealed partial class UtcSecondsConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && Pattern().IsMatch(text)
               && DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new JsonException("expected a UTC time as a string like 2026-12-01T09:30:00Z.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Pattern();
}

/// <summary>A duration as whole milliseconds: an integer, never a string or a fraction.</summary>
internal sealed class MillisecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var milliseconds) && milliseconds >= 0 && milliseconds <= PrSmokeLimits.MaxDuration.TotalMilliseconds
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw new JsonException($"expected whole milliseconds as an integer from 0 to {(long)PrSmokeLimits.MaxDuration.TotalMilliseconds}.");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteNumberValue((long)value.TotalMilliseconds);
}
