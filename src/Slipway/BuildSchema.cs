using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Slipway.Parameters;
using Slipway.Planning;

namespace Slipway;

/// <summary>Writes <c>.nuke/build.schema.json</c>: the targets and parameters of a build, for completion in editors.</summary>
internal static class BuildSchema
{
    public static string Generate(BuildModel model)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "http://json-schema.org/draft-07/schema#");
            json.WriteString("title", "Slipway build parameters");
            json.WriteStartObject("definitions");
            json.WriteStartObject("Target");
            json.WriteString("type", "string");
            json.WriteStartArray("enum");
            foreach (var target in model.Targets.OrderBy(target => target.Name, StringComparer.Ordinal))
                json.WriteStringValue(target.Name);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("properties");
            json.WriteStartObject("$schema");
            json.WriteString("type", "string");
            json.WriteEndObject();
            foreach (var parameter in model.Parameters)
                WriteParameter(json, parameter);
            json.WriteEndObject();
            json.WriteBoolean("additionalProperties", false);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterSpec parameter)
    {
        json.WriteStartObject(parameter.Name);
        json.WriteString("description", parameter.Description + (parameter.IsSecret ? " (secret)" : string.Empty));
        var isTargetList = parameter.Name == "Skip";
        var element = parameter.ElementType.IsArray ? parameter.ElementType.GetElementType()! : parameter.ElementType;
        if (parameter.ElementType.IsArray)
        {
            json.WriteString("type", "array");
            json.WriteStartObject("items");
        }

        if (isTargetList)
            json.WriteString("$ref", "#/definitions/Target");
        else if (element.IsEnum)
        {
            json.WriteString("type", "string");
            json.WriteStartArray("enum");
            foreach (var name in Enum.GetNames(element))
                json.WriteStringValue(name);
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("type", element == typeof(bool) ? "boolean" : element == typeof(int) || element == typeof(long) ? "integer" : element == typeof(double) ? "number" : "string");
        }

        WriteRules(json, parameter.Rules);
        if (parameter.ElementType.IsArray)
            json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The rules a schema can say too, so an editor flags a bad value in parameters.json before the build does.</summary>
    private static void WriteRules(Utf8JsonWriter json, IReadOnlyList<ParameterRuleAttribute> rules)
    {
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case RangeAttribute range:
                    if (!double.IsInfinity(range.Minimum))
                        json.WriteNumber("minimum", range.Minimum);
                    if (!double.IsInfinity(range.Maximum))
                        json.WriteNumber("maximum", range.Maximum);
                    break;
                case OneOfAttribute oneOf:
                    json.WriteStartArray("enum");
                    foreach (var allowed in oneOf.Allowed)
                        json.WriteStringValue(allowed);
                    json.WriteEndArray();
                    break;
            }
        }
    }
}
