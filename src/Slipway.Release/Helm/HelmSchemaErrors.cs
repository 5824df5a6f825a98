using System.Text.RegularExpressions;

namespace Slipway.Release.Helm;

/// <summary>One values-schema violation helm reported: the chart whose schema refused (null when helm named none) and the values path.</summary>
public sealed record SchemaViolation(string? Chart, ValuesPath Path, string Message);

/// <summary>
/// The values paths a failed <c>helm template</c>/<c>install</c> names as violating the chart's values schema, read from
/// either way helm prints them, so a check compares paths and never helm's wording:
/// <list type="bullet">
/// <item>helm up to 3.18.4 (gojsonschema): <c>- image.tag: Does not match pattern '…'</c>, <c>- (root): Additional property replicas is not allowed</c>,
/// <c>- resources.limits: memory is required</c>;</item>
/// <item>helm 3.18.5 and later, helm 4 (santhosh-tekuri/jsonschema): <c>- at '/image/tag': … does not match pattern …</c>,
/// <c>- at '': additional properties 'replicas' not allowed</c>, <c>- at '/resources/limits': missing property 'memory'</c>,
/// causes indented below the error they explain.</item>
/// </list>
/// An unknown or missing key counts at its own path (<c>replicas</c>, <c>resources.limits.memory</c>), in both forms.
/// Old helm's summary line for a conditional (<c>auth: Must validate "then" as "if" was valid</c>) names no path: newer
/// helm prints only the violations inside the branch, and a path must mean the same whichever helm runs.
/// </summary>
public sealed partial class HelmSchemaErrors
{
    private HelmSchemaErrors(IReadOnlyList<SchemaViolation> violations) => Violations = violations;

    public IReadOnlyList<SchemaViolation> Violations { get; }

    public static HelmSchemaErrors Parse(string helmError)
    {
        ArgumentNullException.ThrowIfNull(helmError);
        var violations = new List<SchemaViolation>();
        string? chart = null;
        foreach (var line in helmError.Split('\n').Select(line => line.TrimEnd('\r')))
        {
            if (ChartHeader().Match(line) is { Success: true } header)
                chart = header.Groups["chart"].Value;
            else if (PointerLine().Match(line) is { Success: true } pointer)
                violations.AddRange(FromPointerLine(chart, GoUnquote(pointer.Groups["pointer"].Value), pointer.Groups["message"].Value));
            else if (DottedLine().Match(line) is { Success: true } dotted)
                violations.AddRange(FromDottedLine(chart, dotted.Groups["field"].Value, dotted.Groups["message"].Value));
        }

        return new HelmSchemaErrors(violations);
    }

    /// <summary>
    /// Whether a violation is at <paramref name="path"/>. A subchart's violations are relative to its own values, so they
    /// also count under the subchart's key (<c>redis.auth.password</c> for <c>auth.password</c> under <c>redis:</c>).
    /// </summary>
    public bool Names(ValuesPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Violations.Any(violation => violation.Path == path
            || (violation.Chart is { } chart && ValuesPath.Root.Child(chart).Child(violation.Path) == path));
    }

    private static IEnumerable<SchemaViolation> FromPointerLine(string? chart, string pointer, string message)
    {
        var path = ValuesPath.FromJsonPointer(pointer);
        var keys = PointerKeysMessage().Match(message);
        if (!keys.Success)
            return [new SchemaViolation(chart, path, message)];
        return QuotedKey().Matches(keys.Groups["keys"].Value)
            .Select(key => new SchemaViolation(chart, path.Child(GoUnquote(key.Groups["key"].Value)), message));
    }

    private static IEnumerable<SchemaViolation> FromDottedLine(string? chart, string field, string message)
    {
        if (message.StartsWith("Must validate \"then\"", StringComparison.Ordinal) || message.StartsWith("Must validate \"else\"", StringComparison.Ordinal))
            return [];
        var path = ValuesPath.FromDottedField(field);
        var key = DottedKeyMessage().Match(message);
        return [new SchemaViolation(chart, key.Success ? path.Child(key.Groups["key"].Value) : path, message)];
    }

    /// <summary>
    /// Undoes the quoting santhosh-tekuri/jsonschema applies: Go's <c>%q</c> (<c>\\</c>, <c>\n</c>, <c>\xHH</c>, <c>\uHHHH</c>),
    /// with <c>\'</c> for a single quote and <c>"</c> left bare; .NET's regex unescaping reads the same escapes.
    /// </summary>
    private static string GoUnquote(string quoted) => quoted.Contains('\\', StringComparison.Ordinal) ? Regex.Unescape(quoted) : quoted;

    /// <summary>The chart a block of violations belongs to: helm writes <c>&lt;chart&gt;:</c> before each chart's list.</summary>
    [GeneratedRegex(@"^(?<chart>[A-Za-z0-9][A-Za-z0-9_.-]*):$")]
    private static partial Regex ChartHeader();

    [GeneratedRegex(@"^\s*- at '(?<pointer>(?:[^'\\]|\\.)*)': (?<message>.*)$")]
    private static partial Regex PointerLine();

    [GeneratedRegex(@"^- (?<field>[^\s].*?): (?<message>.+)$")]
    private static partial Regex DottedLine();

    [GeneratedRegex(@"^(?:additional properties|missing propert(?:y|ies)) (?<keys>'.*')(?: not allowed)?$")]
    private static partial Regex PointerKeysMessage();

    [GeneratedRegex(@"'(?<key>(?:[^'\\]|\\.)*)'")]
    private static partial Regex QuotedKey();

    [GeneratedRegex(@"^(?:Additional property (?<key>.+) is not allowed|(?<key>.+) is required)$")]
    private static partial Regex DottedKeyMessage();
}
