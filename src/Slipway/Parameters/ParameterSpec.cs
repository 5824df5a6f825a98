using System.Reflection;
using System.Text;

namespace Slipway.Parameters;

/// <summary>A declared parameter: its names in each source, its type, and where its value goes.</summary>
internal sealed class ParameterSpec(MemberInfo member, string description, bool isSecret, IReadOnlyList<ParameterRuleAttribute> rules)
{
    public const string EnvironmentPrefix = "SLIPWAY_";

    public string Name { get; } = member.Name;

    public string Description { get; } = description;

    public bool IsSecret { get; } = isSecret;

    public MemberInfo Member { get; } = member;

    /// <summary>What a value given by a source must satisfy.</summary>
    public IReadOnlyList<ParameterRuleAttribute> Rules { get; } = rules;

    public Type ValueType { get; } = member switch
    {
        FieldInfo field => field.FieldType,
        PropertyInfo property => property.PropertyType,
        _ => throw new ArgumentException($"{member.Name} is neither a field nor a property."),
    };

    public Type ElementType => Nullable.GetUnderlyingType(ValueType) ?? ValueType;

    public bool IsFlag => ElementType == typeof(bool);

    public bool IsList => ElementType.IsArray;

    public string CommandLineName => "--" + Kebab(Name);

    public string EnvironmentName => EnvironmentPrefix + Kebab(Name).Replace('-', '_').ToUpperInvariant();

    public string Key => Normalize(Name);

    public string TypeName => ElementType switch
    {
        { IsEnum: true } type => string.Join(" | ", Enum.GetNames(type)),
        { IsArray: true } type => $"{type.GetElementType()!.Name.ToLowerInvariant()}[]",
        var type when type == typeof(bool) => "bool",
        var type when type == typeof(int) => "int",
        var type => type.Name.ToLowerInvariant(),
    };

    /// <summary>Names match whatever the dashes, underscores or case: --registry-password, RegistryPassword, registry_password.</summary>
    public static string Normalize(string name) =>
        new(name.Where(c => c is not ('-' or '_')).Select(char.ToLowerInvariant).ToArray());

    private static string Kebab(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var startsWord = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (startsWord)
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
