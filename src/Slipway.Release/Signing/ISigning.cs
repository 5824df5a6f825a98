using System.Text;
using System.Text.Json;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;

namespace Slipway.Release.Signing;

/// <summary>Signs what a release published, always by digest: keyless where the CI has an OIDC identity, with a key where one is given.</summary>
public interface ISigning : IChartPublish
{
    [Parameter("cosign private key (PEM) to sign with; without it, keyless signing is used where an OIDC identity exists"), Secret]
    string? CosignKey => ParameterValue<string>(nameof(CosignKey));

    [Parameter("Password of the cosign key"), Secret]
    string? CosignPassword => ParameterValue<string>(nameof(CosignPassword));

    [Parameter("Fail, rather than skip, when there is no signing identity (default: on when CI=true and publishing to a non-loopback registry)")]
    bool? RequireSignature => ParameterValue<bool?>(nameof(RequireSignature));

    [Parameter("The cosign executable: a path, or a name looked up on PATH")]
    string Cosign => ParameterValue<string>(nameof(Cosign)) ?? "cosign";

    /// <summary>What else to sign besides the chart: an image index (recursively), when the build publishes one.</summary>
    IEnumerable<SignTarget> ImageSignTargets => [];

    /// <summary>The signer; a build may override it (another executable, other retries).</summary>
    CosignSigner Signer(string? dockerConfigDirectory) =>
        new(Processes, Log, Secrets, new CosignOptions { Executable = Cosign, DockerConfigDirectory = dockerConfigDirectory });

    Target Sign => _ => _
        .Description("cosign by digest (image index recursively, and the chart): keyless with an OIDC identity, else --cosign-key")
        .DependsOn(ChartPush)
        .OnlyWhen("a signing identity, or a run that must sign", () => DecideSigning().SkipReason)
        .Produces(async ct =>
        {
            var decision = DecideSigning();
            if (decision is not SigningDecision.Sign sign)
                throw new InvalidOperationException(decision.Reason);
            var published = ResultOf<PublishedChart>(ChartPush);
            var destination = ResultOf<PublishDestination>(PublishRegistry);
            SignTarget[] targets = [.. ImageSignTargets, new SignTarget($"{published.Reference.Registry}/{published.Reference.Repository}@{published.Digest}")];

            var dockerConfig = destination.Credentials is null ? null : WriteDockerConfig(destination);
            try
            {
                var outcome = await Signer(dockerConfig?.FullName).SignAsync(targets, sign.Identity, ct);
                return outcome is SigningOutcome.Failed failed ? throw new InvalidOperationException(failed.Reason) : outcome;
            }
            finally
            {
                dockerConfig?.Delete(recursive: true);
            }
        });

    /// <summary>Sign, skip (with the precise reason) or refuse; computed when Sign is about to run (and by --plan, where it can be).</summary>
    SigningDecision DecideSigning()
    {
        var environment = new[] { SigningIdentities.PrivateKeyVariable, SigningIdentities.PasswordVariable, SigningIdentities.OidcRequestUrlVariable, SigningIdentities.OidcRequestTokenVariable, "GITHUB_ACTIONS" }
            .ToDictionary(name => name, Variable);
        return SigningDecision.For(
            SigningIdentities.Resolve(environment, CosignKey, CosignPassword),
            RequireSignature,
            ci: Variable("CI") == "true",
            () => TryResultOf<PublishDestination>(PublishRegistry));
    }

    /// <summary>cosign reads registry logins from a docker config; this one lives only as long as the signing.</summary>
    private DirectoryInfo WriteDockerConfig(PublishDestination destination)
    {
        var credentials = destination.Credentials!;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        Secrets.Register(auth);
        var directory = Directory.CreateTempSubdirectory("slipway-cosign-");
        var config = JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [destination.Host] = new { auth } } });
        File.WriteAllText(Path.Combine(directory.FullName, "config.json"), config);
        return directory;
    }
}
