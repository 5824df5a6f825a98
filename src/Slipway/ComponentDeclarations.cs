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
