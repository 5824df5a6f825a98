namespace Slipway.Release.Smoke;

/// <summary>
/// The smoke contract a service's build declares once, for every smoke that runs the service (the image smoke, the PR
/// smoke): probe paths and ports come from the chart, the rest from <see cref="SmokeEndpoints"/>.
/// </summary>
public interface ISmokeContract : ISlipwayBuild
{
    /// <summary>The service's provenance endpoint and the paths that must refuse anonymous callers: the build's to declare.</summary>
    SmokeEndpoints SmokeEndpoints { get; }

    /// <summary>The contract's checker over <paramref name="http"/>, as every smoke stage uses it.</summary>
    SmokeContract SmokeContractOver(HttpClient http) => new(http, Log, SmokeEndpoints);
}
