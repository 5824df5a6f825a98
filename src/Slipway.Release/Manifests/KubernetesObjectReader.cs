using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.TypeInspectors;

namespace Slipway.Release.Manifests;

/// <summary>
/// Reads one YAML document strictly into its KubernetesClient model type: an unknown field, a wrong type or a duplicate
/// key fails. Configured like KubernetesClient's own strict reader (<c>KubernetesYaml</c>, <c>strict: true</c>) with its
/// converters, but cheaper to start: <c>KubernetesYaml</c>'s static constructor loads all ~5,900 types of the assembly and
/// maps the JSON names of all ~860 model types for three (de)serializers (~170 ms before the first object), where this
/// finds a kind's type by name and maps a type's names when a document first uses it.
/// </summary>
internal static partial class KubernetesObjectReader
{
    private static readonly Assembly Models = typeof(V1Pod).Assembly;

    private static readonly Lock Gate = new();

    private static readonly Lazy<IDeserializer> Deserializer = new(() => new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new IntOrStringYamlConverter())
        .WithTypeConverter(new Base64BytesConverter())
        .WithTypeConverter(new ResourceQuantityYamlConverter())
        .WithTypeConverter(new KubernetesDateTimeYamlConverter())
        .WithTypeConverter(new KubernetesDateTimeOffsetYamlConverter())
        .WithAttemptingUnquotedStringTypeDeserialization()
        .WithTypeInspector(inner => new JsonNameInspector(inner), where => where.InsteadOf<YamlAttributeOverridesInspector>())
        .WithDuplicateKeyChecking()
        .Build());

    /// <summary>The model type of an installable object (one with object metadata, so not a list kind), or null when KubernetesClient has none.</summary>
    public static Type? ModelType(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        if (!Identifier().IsMatch(version) || !Identifier().IsMatch(kind))
            return null;

        // KubernetesClient names a model V1Deployment, and prefixes the group where groups share a version and kind
        // (Corev1Event and Eventsv1Event); the entity attribute decides, so a name that merely fits is never taken.
        var groupName = group.Length == 0 ? "core" : group.Split('.')[0];
        string[] candidates = [Capitalized(version) + kind, Capitalized(groupName) + version + kind];
        return candidates
            .Select(name => Models.GetType($"k8s.Models.{name}"))
            .FirstOrDefault(type => type is not null && typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(type)
                && type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity
                && (entity.Group ?? string.Empty) == group && entity.ApiVersion == version && entity.Kind == kind);
    }

    /// <summary>Reads <paramref name="document"/> (one YAML document) as <paramref name="type"/>.</summary>
    /// <exception cref="YamlException">The document does not fit the type; positions are relative to <paramref name="document"/>.</exception>
    public static IKubernetesObject<V1ObjectMeta> Read(string document, Type type)
    {
        lock (Gate)
            return (IKubernetesObject<V1ObjectMeta>)Deserializer.Value.Deserialize(new MergingParser(new Parser(new StringReader(document))), type)!;
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex Identifier();

    /// <summary>Names each property by its <c>[JsonPropertyName]</c>, as KubernetesYaml's attribute overrides do, when the type is first inspected.</summary>
    private sealed class JsonNameInspector(ITypeInspector inner) : TypeInspectorSkeleton
    {
        public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container) =>
            inner.GetProperties(type, container).Select(property =>
                property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } json ? new JsonNamedProperty(property, json.Name) : property);

        public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

        public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);

        public override bool HasParseMethod(Type type) => inner.HasParseMethod(type);

        public override object? Parse(string value, Type expectedType) => inner.Parse(value, expectedType);
    }

    /// <summary>A property that answers YamlDotNet's attribute lookup with an alias that no naming convention changes.</summary>
    private sealed class JsonNamedProperty(IPropertyDescriptor property, string jsonName) : IPropertyDescriptor
    {
        private readonly YamlMemberAttribute _member = new() { Alias = jsonName, ApplyNamingConventions = false };

        public string Name => property.Name;

        public bool AllowNulls => property.AllowNulls;

        public bool CanWrite => property.CanWrite;

        public Type Type => property.Type;

        public Type? TypeOverride
        {
            get => property.TypeOverride;
            set => property.TypeOverride = value;
        }

        public int Order
        {
            get => property.Order;
            set => property.Order = value;
        }

        public ScalarStyle ScalarStyle
        {
            get => property.ScalarStyle;
            set => property.ScalarStyle = value;
        }

        public bool Required => property.Required;

        public Type? ConverterType => property.ConverterType;

        public T? GetCustomAttribute<T>()
            where T : Attribute => _member as T ?? property.GetCustomAttribute<T>();

        public IObjectDescriptor Read(object target) => property.Read(target);

        public void Write(object target, object? value) => property.Write(target, value);
    }

    /// <summary>Secret data as base64, like KubernetesYaml's own converter (which is internal to KubernetesClient).</summary>
    private sealed class Base64BytesConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(byte[]);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var scalar = parser.Consume<Scalar>();
            return string.IsNullOrEmpty(scalar.Value) ? null : Convert.FromBase64String(scalar.Value);
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            throw new NotSupportedException("This reader only reads.");
    }
}
