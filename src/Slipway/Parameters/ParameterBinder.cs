using System.Reflection;
using System.Text.Json;
using Slipway.Secrets;
using Slipway.Text;

namespace Slipway.Parameters;

/// <summary>Binds parameter values; sources, highest first: command line, <c>SLIPWAY_*</c> environment, <c>.nuke/parameters.json</c>, <c>.nuke/parameters.PROFILE.json</c>.</summary>
internal sealed class ParameterBinder(IReadOnlyList<ParameterSpec> parameters, SecretRegistry secrets)
{
    public Dictionary<string, object?> Bind(
        object build,
        CommandLine commandLine,
        IReadOnlyDictionary<string, string> environment,
        string nukeDirectory)
    {
        var byKey = parameters.ToDictionary(parameter => parameter.Key);
        RejectUnknownOptions(commandLine, byKey);
        var files = new List<(string Path, Dictionary<string, JsonElement> Values)>();
        files.Add(ReadFile(Path.Combine(nukeDirectory, "parameters.json"), byKey, required: false));
        if (commandLine.Profile is { } profile)
            files.Add(ReadFile(Path.Combine(nukeDirectory, $"parameters.{profile}.json"), byKey, required: true));

        var values = new Dictionary<string, object?>();
        foreach (var parameter in parameters)
        {
            var value = FromCommandLine(parameter, commandLine)
                ?? FromEnvironment(parameter, environment)
                ?? files.Select(file => FromFile(parameter, file.Values)).FirstOrDefault(found => found is not null);
            if (value is null)
            {
                values[parameter.Name] = Read(build, parameter.Member);
                continue;
            }

            RegisterSecret(parameter, value);
            Write(build, parameter.Member, value);
            values[parameter.Name] = value;
        }

        return values;
    }

    public static object? Read(object build, MemberInfo member) => member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

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
        if (value is Array array)
        {
            foreach (var item in array)
                secrets.Register(item?.ToString());
        }
        else
        {
            secrets.Register(value.ToString());
        }
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

    private static object? FromCommandLine(ParameterSpec parameter, CommandLine commandLine) =>
        commandLine.Options.TryGetValue(parameter.Key, out var option) ? ParameterValueConverter.Convert(parameter, option.Values) : null;

    private static object? FromEnvironment(ParameterSpec parameter, IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(parameter.EnvironmentName, out var raw) && raw.Length > 0
            ? ParameterValueConverter.Convert(parameter, parameter.IsList ? raw.Split(',') : [raw])
            : null;

    private static object? FromFile(ParameterSpec parameter, Dictionary<string, JsonElement> values) =>
        values.TryGetValue(parameter.Key, out var json) && json.ValueKind is not JsonValueKind.Null
            ? ParameterValueConverter.Convert(parameter, json)
            : null;

    private (string, Dictionary<string, JsonElement>) ReadFile(string path, Dictionary<string, ParameterSpec> byKey, bool required)
    {
        if (!File.Exists(path))
        {
            return required
                ? throw new ParameterException($"Profile file '{path}' does not exist.")
                : (path, new Dictionary<string, JsonElement>());
        }

        // JsonDocument rather than the serializer: the serializer's start-up cost shows in every run.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new ParameterException($"'{path}' is not valid JSON: {exception.Message}");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ParameterException($"'{path}' must hold a JSON object of parameter names and values.");
        var values = new Dictionary<string, JsonElement>();
        foreach (var (name, value) in document.RootElement.EnumerateObject().Select(property => (property.Name, property.Value)))
        {
            if (name.StartsWith('$'))
                continue;
            var key = ParameterSpec.Normalize(name);
            if (!byKey.ContainsKey(key))
                throw new ParameterException($"'{path}' sets unknown parameter '{name}'.{Suggestions.DidYouMean(name, parameters.Select(parameter => parameter.Name))}");
            values[key] = value;
        }

        return (path, values);
    }
}
