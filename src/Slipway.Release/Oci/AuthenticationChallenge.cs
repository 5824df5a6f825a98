using System.Text;

namespace Slipway.Release.Oci;

/// <summary>
/// One challenge from a <c>WWW-Authenticate</c> header (RFC 9110 section 11.6.1), e.g.
/// <c>Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"</c>.
/// Parsed by hand because quoted values carry commas (<c>scope="repository:r:pull,push"</c>) and escapes.
/// </summary>
public sealed record AuthenticationChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.GetValueOrDefault(name);

    /// <summary>Every challenge in one header value; a malformed tail ends parsing rather than failing it.</summary>
    public static IReadOnlyList<AuthenticationChallenge> ParseAll(string header)
    {
        var challenges = new List<AuthenticationChallenge>();
        var position = 0;
        while (true)
        {
            SkipSeparators(header, ref position);
            var scheme = ReadToken(header, ref position);
            if (scheme.Length == 0)
                return challenges;

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (TryReadParameter(header, ref position, out var name, out var value))
                parameters.TryAdd(name, value);
            challenges.Add(new AuthenticationChallenge(scheme, parameters));
        }
    }

    /// <summary>Reads <c>name=value</c> or <c>name="quoted value"</c>; leaves the position untouched when the next token starts a new challenge.</summary>
    private static bool TryReadParameter(string header, ref int position, out string name, out string value)
    {
        var start = position;
        SkipSeparators(header, ref position);
        name = ReadToken(header, ref position);
        SkipWhitespace(header, ref position);
        if (name.Length == 0 || position >= header.Length || header[position] != '=')
        {
            position = start;
            value = string.Empty;
            return false;
        }

        position++;
        SkipWhitespace(header, ref position);
        value = position < header.Length && header[position] == '"' ? ReadQuoted(header, ref position) : ReadToken(header, ref position);
        return true;
    }

    private static string ReadQuoted(string header, ref int position)
    {
        var value = new StringBuilder();
        for (position++; position < header.Length; position++)
        {
            var c = header[position];
            if (c == '"')
            {
                position++;
                break;
            }

            if (c == '\\' && position + 1 < header.Length)
                c = header[++position];
            value.Append(c);
        }

        return value.ToString();
    }

    private static string ReadToken(string header, ref int position)
    {
        var start = position;
        while (position < header.Length && IsTokenChar(header[position]))
            position++;
        return header[start..position];
    }

    // RFC 9110 tchar.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static void SkipWhitespace(string header, ref int position)
    {
        while (position < header.Length && header[position] is ' ' or '\t')
            position++;
    }

    private static void SkipSeparators(string header, ref int position)
    {
        while (position < header.Length && header[position] is ' ' or '\t' or ',')
            position++;
    }
}
