using System.Reflection;
using Slipway.Parameters;

namespace Slipway.Planning;

/// <summary>Discovers a build's targets (its own and its components') and parameters by reflection, and resolves target relations.</summary>
internal sealed class BuildModel
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private readonly Dictionary<MethodInfo, TargetInfo> _byDeclaration = [];

    private BuildModel(IReadOnlyList<TargetInfo> targets, IReadOnlyList<ParameterSpec> parameters, IReadOnlyList<EnvironmentVariableAttribute> variables)
    {
        Targets = targets;
        Parameters = parameters;
        Variables = variables;
    }

    public IReadOnlyList<TargetInfo> Targets { get; }

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The <c>SLIPWAY_*</c> variables that are not parameters, declared by the engine and the assemblies of the build and its components.</summary>
    public IReadOnlyList<EnvironmentVariableAttribute> Variables { get; }

    public TargetInfo? Find(string name) =>
        Targets.FirstOrDefault(target => string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase));

    public TargetInfo Resolve(Target target) =>
        _byDeclaration.TryGetValue(target.Method, out var info)
            ? info
            : throw new InvalidOperationException($"A target relation refers to '{target.Method.Name}', which is not a Target property of the build or of a component it implements.");

    public static BuildModel Discover(object build)
    {
        var type = build.GetType();
        var declarations = new List<(string Name, Type DeclaringType, Target Declaration)>();

        foreach (var property in ClassHierarchy(type).SelectMany(DeclaredTargets).Where(property => !property.Name.Contains('.')))
        {
            if (declarations.All(existing => existing.Name != property.Name))
                declarations.Add((property.Name, property.DeclaringType!, (Target)property.GetValue(build)!));
        }

        foreach (var component in Components(type))
        {
            // An explicit override (IBase.Target in a derived component) is reached through the base's property.
            foreach (var property in DeclaredTargets(component).Where(property => !property.Name.Contains('.')))
            {
                if (declarations.All(existing => existing.Name != property.Name))
                    declarations.Add((property.Name, component, (Target)property.GetValue(build)!));
            }
        }

        var infos = new List<TargetInfo>();
        var model = new BuildModel(infos, DiscoverParameters(type), DiscoverVariables(type));
        foreach (var (name, declaringType, declaration) in declarations)
        {
            var definition = new TargetDefinition(build);
            declaration(definition);
            var info = new TargetInfo(name, infos.Count, declaringType, definition);
            infos.Add(info);
            model._byDeclaration[declaration.Method] = info;
        }

        foreach (var info in infos)
            model.ResolveRelations(info);
        return model;
    }

    private void ResolveRelations(TargetInfo info)
    {
        var definition = info.Definition;
        info.Dependencies.AddRange(definition.Dependencies.Select(Resolve));
        foreach (var component in definition.ComponentDependencies)
        {
            // The component's own targets and those of the components it extends; never those of components extending it.
            var declaredThere = Targets.Where(target => target != info && target.DeclaringType.IsInterface && target.DeclaringType.IsAssignableFrom(component));
            info.Dependencies.AddRange(declaredThere);
        }

        info.RunsAfter.AddRange(definition.RunsAfter.Select(Resolve));
        info.RunsBefore.AddRange(definition.RunsBefore.Select(Resolve));
        info.Triggers.AddRange(definition.Triggered.Select(Resolve));
        info.Collects.AddRange(definition.Collected.Select(Resolve));
        foreach (var list in new[] { info.Dependencies, info.RunsAfter, info.RunsBefore, info.Triggers, info.Collects })
        {
            var distinct = list.Distinct().ToList();
            list.Clear();
            list.AddRange(distinct);
        }
    }

    private static IEnumerable<PropertyInfo> DeclaredTargets(Type type) =>
        type.GetProperties(Members | BindingFlags.DeclaredOnly)
            .Where(property => property.PropertyType == typeof(Target) && property.GetMethod is not null)
            .OrderBy(property => property.MetadataToken);

    private static IEnumerable<Type> ClassHierarchy(Type type)
    {
        var chain = new List<Type>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
            chain.Insert(0, current);
        return chain;
    }

    private static IEnumerable<Type> Components(Type type) =>
        type.GetInterfaces().OrderBy(component => component.FullName, StringComparer.Ordinal);

    private static List<EnvironmentVariableAttribute> DiscoverVariables(Type type) =>
        [.. new[] { typeof(BuildModel), type }.Concat(Components(type)).Select(declaring => declaring.Assembly).Distinct()
            .SelectMany(assembly => assembly.GetCustomAttributes<EnvironmentVariableAttribute>())
            .DistinctBy(variable => variable.Name)
            .OrderBy(variable => variable.Name, StringComparer.Ordinal)];

    private static List<ParameterSpec> DiscoverParameters(Type type)
    {
        var members = ClassHierarchy(type)
            .SelectMany(declaring => declaring.GetMembers(Members | BindingFlags.DeclaredOnly).OrderBy(member => member.MetadataToken))
            .Concat(Components(type).SelectMany(component => component.GetProperties(Members | BindingFlags.DeclaredOnly)));

        var parameters = new List<ParameterSpec>();
        foreach (var member in members)
        {
            if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
                continue;
            if (parameters.Any(existing => existing.Key == ParameterSpec.Normalize(member.Name)))
                continue;
            parameters.Add(new ParameterSpec(member, attribute.Description, member.IsDefined(typeof(SecretAttribute)), [.. member.GetCustomAttributes<ParameterRuleAttribute>()]));
        }

        return parameters;
    }
}
