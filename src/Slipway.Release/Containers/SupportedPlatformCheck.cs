namespace Slipway.Release.Containers;

/// <summary>An image platform <see cref="ContainerPlatform"/> can build, checked with its own parser so the two never disagree.</summary>
public sealed class SupportedPlatformCheck : IParameterCheck
{
    public string? Check(string value, ParameterCheckContext context)
    {
        try
        {
            ContainerPlatform.Parse(value);
            return null;
        }
        catch (FormatException)
        {
            return $"must be a platform the image build supports: {string.Join(", ", ContainerPlatform.Supported)} " +
                $"(or the runtime identifiers {string.Join(", ", ContainerPlatform.Supported.Select(platform => platform.RuntimeIdentifier))})";
        }
    }
}
