using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace Slipway;

/// <summary>Calls a component interface's own default target declaration, bypassing the build class's override (C# has no base call for interfaces).</summary>
internal static class ComponentDeclarations
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<object, Target>> Callers = new();

    public static Target Invoke(object build, MethodInfo interfaceGetter) =>
        Callers.GetOrAdd(interfaceGetter, CreateNonVirtualCaller)(build);

    /// <summary>
    /// The declaration of a target as <paramref name="component"/> sees it: its own override of a target it inherited (an
    /// explicit <c>Target IBase.Name</c>), else the nearest such override among the interfaces it extends, else the target's
    /// own declaration. So a component that extends a target another component already extended keeps both extensions.
    /// </summary>
    public static MethodInfo DeclarationIn(Type component, MethodInfo getter)
    {
        var declaring = getter.DeclaringType!;
        if (component == declaring)
            return getter;
        var overrides = new[] { component }.Concat(component.GetInterfaces())
            .Where(candidate => candidate != declaring && declaring.IsAssignableFrom(candidate))
            .Select(candidate => ExplicitOverride(candidate, getter))
            .OfType<MethodInfo>()
            .ToList();
        var nearest = overrides.Where(method => !overrides.Any(other => other != method && method.DeclaringType!.IsAssignableFrom(other.DeclaringType))).ToList();
        return nearest.Count switch
        {
            0 => getter,
            1 => nearest[0],
            _ => throw new InvalidOperationException(
                $"{component.Name} inherits {string.Join(" and ", nearest.Select(method => method.DeclaringType!.Name))}'s overrides of {declaring.Name}.{getter.Name[4..]}: override it in {component.Name} to say which to extend."),
        };
    }

    private static MethodInfo? ExplicitOverride(Type component, MethodInfo getter) =>
        component.GetMethod($"{getter.DeclaringType!.FullName!.Replace('+', '.')}.{getter.Name}", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);

    private static Func<object, Target> CreateNonVirtualCaller(MethodInfo getter)
    {
        if (getter.IsAbstract)
            throw new InvalidOperationException($"{getter.DeclaringType!.Name}.{getter.Name[4..]} has no default declaration to inherit.");

        var method = new DynamicMethod($"Inherit_{getter.Name}", typeof(Target), [typeof(object)], getter.DeclaringType!.Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, getter.DeclaringType!);
        il.Emit(OpCodes.Call, getter);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<object, Target>>();
    }
}
