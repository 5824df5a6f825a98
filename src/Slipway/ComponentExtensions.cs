namespace Slipway;

public static class ComponentExtensions
{
    /// <summary>Views the build as one of its components, to name a component's target: <c>this.From&lt;IBuildSchema&gt;().CheckBuildSchema</c>.</summary>
    public static T From<T>(this ISlipwayBuild build)
        where T : ISlipwayBuild => (T)build;
}
