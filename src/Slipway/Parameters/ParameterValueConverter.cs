using System.Globalization;
using System.Text.Json;

namespace Slipway.Parameters;

/// <summary>Turns raw text (command line, environment) or JSON (parameter files) into a parameter's declared type.</summary>
internal static class ParameterValueConverter
{
    public static object Convert(ParameterSpec parameter, IReadOnlyList<string> raw)
    {
        var type = parameter.ElementType;
        if (type.IsArray)
        {
            var items = raw.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var array = Array.CreateInstance(type.GetElementType()!, items.Length);
            for (var i = 0; i < items.Length; i++)
                array.SetValue(ConvertScalar(parameter, type.GetElementType()!, items[i]), i);
            return array;
        }

        if (raw.Count == 0 && type == typeof(bool))
            return true;
        if (raw.Count != 1)
            throw new ParameterException($"Parameter {parameter.CommandLineName} takes one value, got {raw.Count}.");
        return ConvertScalar(parameter, type, raw[0]);
    }

    public static object Convert(ParameterSpec parameter, JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Array => Convert(parameter, json.EnumerateArray().Select(item => item.ToString()).ToArray()),
        JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number or JsonValueKind.String => Convert(parameter, [json.ToString()]),
        _ => throw new ParameterException($"Parameter {parameter.Name} cannot take the JSON value {json.GetRawText()}."),
    };

    private static object ConvertScalar(ParameterSpec parameter, Type type, string text)
    {
        try
        {
            if (type == typeof(string))
                return text;
            if (type == typeof(bool))
                return text.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "on" => true,
                    "false" or "0" or "no" or "off" => false,
                    _ => throw new FormatException(),
                };
            if (type.IsEnum)
                return Enum.Parse(type, text, ignoreCase: true);
            if (type == typeof(TimeSpan))
                return TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), CultureInfo.InvariantCulture));
            return System.Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or ArgumentException or InvalidCastException)
        {
            var shown = parameter.IsSecret ? "(secret value)" : $"'{text}'";
            throw new ParameterException($"Parameter {parameter.CommandLineName} expects {parameter.TypeName}, got {shown}.");
        }
    }
}

/// <summary>A parameter was given a value it cannot take, or a required one is missing.</summary>
public sealed class ParameterException(string message) : Exception(message);
