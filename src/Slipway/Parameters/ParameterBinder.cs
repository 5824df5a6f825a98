using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Slipway.Secrets;
using Slipway.Text;

namespace Slipway.Parameters;

/// <summary>The bound values, where each came from, what is wrong with the inputs (any makes the run exit 2), and what is only doubtful.</summary>
internal sealed record BoundParameters(
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, ParameterSource> Sources,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Binds parameter values; sources, highest first: command line, <c>SLIPWAY_*</c> environment, <c>.nuke/parameters.json</c>,
/// <c>.nuke/parameters.PROFILE.json</c>. Every value is converted and checked against its rules here, so a bad one can stop the
/// run before anything runs; all bad values are reported at once.
/// </summary>
internal sealed class ParameterBinder(IReadOnlyList<ParameterSpec> parameters, IReadOnlyCollection<string> knownVariables, SecretRegistry secrets)
{
    private const string ShownSecret = "(a secret value, not shown)";

    public BoundParameters Bind(object build, CommandLine commandLine, IReadOnlyDictionary<string, string> environment, string rootDirectory)
    {
        var byKey = parameters.ToDictionary(parameter => parameter.Key);
        RejectUnknownOptions(commandLine, byKey);
        var files = new List<Dictionary<string, FileValue>>
        {
            ReadFile(rootDirectory, Path.Combine(".nuke", "parameters.json"), ParameterSourceKind.ParametersFile, byKey),
        };
        if (commandLine.Profile is { } profile)
            files.Add(ReadFile(rootDirectory, Path.Combine(".nuke", $"parameters.{profile}.json"), ParameterSourceKind.ProfileFile, byKey));

        var context = new ParameterCheckContext(rootDirectory);
        var values = new Dictionary<string, object?>();
        var sources = new Dictionary<string, ParameterSource>();
        var problems = new List<string>();
        foreach (var parameter in parameters)
        {
            sources[parameter.Name] = ParameterSource.Default;
            values[parameter.Name] = Read(build, parameter.Member);
            if (Find(parameter, commandLine, environment, files) is not var (source, convert))
                continue;
            object value;
            try
            {
                value = convert();
            }
            catch (ParameterException exception)
            {
                problems.Add($"{exception.Message} It came from {source}: {source.NextStep(parameter.CommandLineName)}.");
                continue;
            }

            RegisterSecret(parameter, value);
            problems.AddRange(Check(parameter, value, source, context));
            Write(build, parameter.Member, value);
            values[parameter.Name] = value;
            sources[parameter.Name] = source;
        }

        return new BoundParameters(values, sources, problems, [.. SecretsOnTheCommandLine(sources, environment), .. UnknownVariables(environment)]);
    }

    public static object? Read(object build, MemberInfo member) => member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

    private static (ParameterSource Source, Func<object> Convert)? Find(
        ParameterSpec parameter, CommandLine commandLine, IReadOnlyDictionary<string, string> environment, List<Dictionary<string, FileValue>> files)
    {
        if (commandLine.Options.TryGetValue(parameter.Key, out var option))
            return (ParameterSource.CommandLine, () => ParameterValueConverter.Convert(parameter, option.Values));
        if (environment.TryGetValue(parameter.EnvironmentName, out var raw) && raw.Length > 0)
            return (new ParameterSource(ParameterSourceKind.Environment, parameter.EnvironmentName), () => ParameterValueConverter.Convert(parameter, parameter.IsList ? raw.Split(',') : [raw]));
        foreach (var file in files)
        {
            if (file.TryGetValue(parameter.Key, out var found) && found.Value.ValueKind is not JsonValueKind.Null)
                return (found.Source, () => ParameterValueConverter.Convert(parameter, found.Value));
        }

        return null;
    }

    private static IEnumerable<string> Check(ParameterSpec parameter, object value, ParameterSource source, ParameterCheckContext context)
    {
        var items = value is Array array ? array.Cast<object>() : [value];
        foreach (var item in items)
        {
            foreach (var rule in parameter.Rules)
            {
                if (rule.Check(item, context) is not { } requirement)
                    continue;
                var shown = parameter.IsSecret ? ShownSecret : $"'{Convert.ToString(item, CultureInfo.InvariantCulture)}'";
                yield return $"Parameter {parameter.CommandLineName} {requirement}, got {shown}. It came from {source}: {source.NextStep(parameter.CommandLineName)}.";
            }
        }
    }

    private static void Write(object build, MemberInfo member, object value)
    {
        switch (member)
        {
            case FieldInfo field:
                field.SetValue(build, value);
                break;
            case PropertyInfo { CanWrite: true } property:
                property.SetValue(build, value);
                break;
            // Getter-only component properties read their bound value back through ISlipwayBuild.ParameterValue.
        }
    }

    private void RegisterSecret(ParameterSpec parameter, object value)
    {
        if (!parameter.IsSecret)
            return;
        foreach (var item in value is Array array ? array.Cast<object?>() : [value])
            secrets.Register(item?.ToString());
    }

    /// <summary>Every process on the machine can read another's arguments (ps, /proc/PID/cmdline); CI runners are shared with whatever the job runs.</summary>
    private IEnumerable<string> SecretsOnTheCommandLine(Dictionary<string, ParameterSource> sources, IReadOnlyDictionary<string, string> environment)
    {
        if (!environment.TryGetValue("CI", out var ci) || !string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase))
            yield break;
        foreach (var parameter in parameters.Where(parameter => parameter.IsSecret && sources[parameter.Name].Kind == ParameterSourceKind.CommandLine))
            yield return $"{parameter.CommandLineName} is a secret given on the command line, which other processes on this machine can read; in CI, set {parameter.EnvironmentName} instead (from the CI's secret store).";
    }

    private IEnumerable<string> UnknownVariables(IReadOnlyDictionary<string, string> environment)
    {
        var known = parameters.Select(parameter => parameter.EnvironmentName).Concat(knownVariables).ToHashSet(StringComparer.Ordinal);
        foreach (var name in environment.Keys.Where(name => name.StartsWith(ParameterSpec.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && !known.Contains(name)).Order(StringComparer.Ordinal))
            yield return $"{name} is set but matches no parameter, so it is ignored.{Suggestions.DidYouMean(name, known)} Run with --help to list parameters and their variables.";
    }

    private void RejectUnknownOptions(CommandLine commandLine, Dictionary<string, ParameterSpec> byKey)
    {
        foreach (var (key, option) in commandLine.Options)
        {
            if (!byKey.ContainsKey(key))
            {
                var names = parameters.Select(parameter => parameter.CommandLineName).Concat(["--help", "--plan", "--profile"]);
                throw new ParameterException($"Unknown parameter '{option.Typed}'.{Suggestions.DidYouMean(option.Typed, names)} Run with --help to list parameters.");
            }
        }
    }

    /// <summary>A parameter file's values by key, each with its line. A missing <c>parameters.json</c> is fine; a missing profile is not.</summary>
    private Dictionary<string, FileValue> ReadFile(string rootDirectory, string relativePath, ParameterSourceKind kind, Dictionary<string, ParameterSpec> byKey)
    {
        var path = Path.Combine(rootDirectory, relativePath);
        var values = new Dictionary<string, FileValue>();
        if (!File.Exists(path))
        {
            return kind == ParameterSourceKind.ProfileFile
                ? throw new ParameterException($"Profile file '{relativePath}' does not exist: create it, or pass the name of an existing .nuke/parameters.NAME.json to --profile.")
                : values;
        }

        // Utf8JsonReader rather than the serializer: the serializer's start-up cost shows in every run; the reader also gives positions.
        var bytes = File.ReadAllBytes(path);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ParameterException($"'{relativePath}' must hold a JSON object of parameter names and values.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var line = LineAt(bytes, reader.TokenStartIndex);
                reader.Read();
                var value = JsonElement.ParseValue(ref reader);
                if (name.StartsWith('$'))
                    continue;
                var key = ParameterSpec.Normalize(name);
                if (!byKey.ContainsKey(key))
                    throw new ParameterException($"'{relativePath}' line {line} sets unknown parameter '{name}'.{Suggestions.DidYouMean(name, parameters.Select(parameter => parameter.Name))}");
                values[key] = new FileValue(value, new ParameterSource(kind, relativePath, line));
            }
        }
        catch (JsonException exception)
        {
            // The reader counts lines and columns from 0 and appends them to its message; people count from 1.
            var reason = exception.Message.Split([" Path:", " LineNumber:"], 2, StringSplitOptions.None)[0];
            throw new ParameterException($"'{relativePath}' is not valid JSON at line {exception.LineNumber + 1}, column {exception.BytePositionInLine + 1}: {reason}");
        }

        return values;
    }

    private static int LineAt(byte[] bytes, long index) => bytes.AsSpan(0, (int)index).Count((byte)'\n') + 1;

    private sealed record FileValue(JsonElement Value, ParameterSource Source);
}
