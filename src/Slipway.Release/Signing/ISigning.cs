using System.Text;
using System.Text.Json;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tools;

namespace Slipway.Release.Signing;

/// <summary>
/// Signs what a release published, always by digest: keyless where the CI has an OIDC identity, with a key where one is
/// given; then verifies every signed digest against the identity it must carry. Whether the run can sign at all, and
/// against what it will verify, is checked in PublishPreflight, before anything is pushed.
/// </summary>
public interface ISigning : IChartPublish
{
    [Parameter("cosign private key (PEM) to sign with; without it, keyless signing is used where an OIDC identity exists"), Secret]
    string? CosignKey => ParameterValue<string>(nameof(CosignKey));

    [Parameter("Password of the cosign key"), Secret]
    string? CosignPassword => ParameterValue<string>(nameof(CosignPassword));

    [Parameter("Public key (PEM) VerifySignature checks key signatures against; needed with --cosign-key")]
    string? CosignPublicKey => ParameterValue<string>(nameof(CosignPublicKey));

    [Parameter("The certificate identity VerifySignature expects of a keyless signature; default: <GITHUB_SERVER_URL>/<GITHUB_REPOSITORY>/.github/workflows/publish.yml@<GITHUB_REF>")]
    string? CertificateIdentity => ParameterValue<string>(nameof(CertificateIdentity));

    [Parameter("Fail, rather than skip, when there is no signing identity (default: on when CI=true and publishing to a non-loopback registry)")]
    bool? RequireSignature => ParameterValue<bool?>(nameof(RequireSignature));

    [Parameter("cosign to use: a path, or a name looked up on PATH (default: a supported cosign on PATH, else the pinned cosign 3.0.6); the same one signs and verifies")]
    string? Cosign => ParameterValue<string>(nameof(Cosign));

    /// <summary>The cosign the build runs; <see cref="PinnedTools.Cosign"/> unless a build pins another.</summary>
    PinnedTool CosignTool => PinnedTools.Cosign;

    /// <summary>cosign, resolved once per build and only when a run signs: --cosign, else a supported one on PATH, else the pinned one.</summary>
    Task<ResolvedTool> CosignAsync(CancellationToken cancellationToken) =>
        ResolveToolAsync(CosignTool, string.IsNullOrWhiteSpace(Cosign) ? null : new ToolRequest(Cosign, "--cosign (SLIPWAY_COSIGN)"), cancellationToken);

    /// <summary>The workflow file whose keyless identity VerifySignature expects, in <c>.github/workflows/</c>.</summary>
    string SigningWorkflowFile => SignatureExpectations.DefaultWorkflowFile;

    /// <summary>What else to sign besides the chart: an image index (recursively), when the build publishes one.</summary>
    IEnumerable<SignTarget> ImageSignTargets => [];

    /// <summary>cosign's verbs; a build may override it (another executable, a docker config of its own).</summary>
    CosignCli CosignCli(ResolvedTool cosign, string? dockerConfigDirectory) =>
        new(Processes, new CosignOptions { Executable = cosign.Path, Version = cosign.Version, DockerConfigDirectory = dockerConfigDirectory });

    /// <summary>The Sign stage; a build may override it.</summary>
    CosignSigner Signer(ResolvedTool cosign, string? dockerConfigDirectory) => new(CosignCli(cosign, dockerConfigDirectory), RegistryRetry, Log, Secrets);

    /// <summary>The VerifySignature stage; a build may override it.</summary>
    SignatureVerifier Verifier(ResolvedTool cosign, string? dockerConfigDirectory) => new(CosignCli(cosign, dockerConfigDirectory), RegistryRetry, Log, Secrets);

    Target IPublishRegistry.PublishPreflight => _ => _
        .Inherit<IChartPublish>(x => x.PublishPreflight)
        .Description("Before anything is pushed: the registry answers and takes the credentials (a missing and a wrong password told apart); " +
            "a release is of a clean tree (or --allow-dirty); a run that must sign has an identity, cosign runs, and the identity VerifySignature will expect is known")
        .Executes(CheckSigningAsync);

    Target Sign => _ => _
        .Description("cosign by digest (image index recursively, and the chart): keyless with an OIDC identity, else --cosign-key")
        .DependsOn(ChartPush, PublishPreflight)
        .OnlyWhen("a signing identity, or a run that must sign", () => DecideSigning().SkipReason)
        .Produces(async ct =>
        {
            var sign = RequireSigning();
            var published = ResultOf<PublishedChart>(ChartPush);
            SignTarget[] targets = [.. ImageSignTargets, new SignTarget($"{published.Reference.Registry}/{published.Reference.Repository}@{published.Digest}")];
            var cosign = await CosignAsync(ct);
            var outcome = await WithDockerConfigAsync(dockerConfig => Signer(cosign, dockerConfig).SignAsync(targets, sign.Identity, ct));
            return outcome is SigningOutcome.Failed failed
                ? throw new InvalidOperationException($"{failed.Reason} What this release pushed stays published, unsigned; next step: publish this commit again (pushes are no-ops, signing runs again).")
                : outcome;
        });

    Target VerifySignature => _ => _
        .Description("cosign verify of every signed digest: keyless against this repository's publish workflow at the ref and GitHub's OIDC issuer, or --cosign-public-key")
        .DependsOn(Sign)
        .OnlyWhen("something was signed", () => DecideSigning().SkipReason is { } reason ? $"nothing was signed ({reason})" : null)
        .Produces(async ct =>
        {
            var signed = (SigningOutcome.Signed)ResultOf<SigningOutcome>(Sign);
            var expectation = RequireExpectation(RequireSigning().Identity);
            var cosign = await CosignAsync(ct);
            return await WithDockerConfigAsync(dockerConfig => Verifier(cosign, dockerConfig).VerifyAsync(signed.Covered, expectation, ct));
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

    /// <summary>What VerifySignature checks the signatures of <paramref name="identity"/> against, or why it cannot tell.</summary>
    SignatureExpectationResolution ExpectSignature(SigningIdentity identity)
    {
        var environment = new[] { "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_REF", "GITHUB_WORKFLOW_REF" }.ToDictionary(name => name, Variable);
        return SignatureExpectations.For(identity, environment, CertificateIdentity, CosignPublicKey, SigningWorkflowFile);
    }

    private async Task CheckSigningAsync(CancellationToken cancellationToken)
    {
        var decision = DecideSigning();
        if (decision is SigningDecision.Skip skip)
        {
            Log.Info($"Preflight: this run does not sign ({skip.Reason})");
            return;
        }

        const string NothingPushed = "Nothing was pushed.";
        var sign = RequireSigning(NothingPushed);
        var expectation = RequireExpectation(sign.Identity, NothingPushed);
        ResolvedTool cosign;
        try
        {
            cosign = await CosignAsync(cancellationToken);
        }
        catch (ToolProvisioningException missing)
        {
            throw new InvalidOperationException(
                $"This run signs ({sign.Reason}), but there is no cosign to sign with: {missing.Message} " +
                $"In GitHub Actions, install it with sigstore/cosign-installer (cosign-release: v{CosignTool.Version.ToString(3)}), as publish.yml does. {NothingPushed}");
        }

        var version = await CosignCli(cosign, null).VersionAsync(cancellationToken);
        Log.Info($"Preflight: signing {sign.Identity.Mode.ToString().ToLowerInvariant()} ({sign.Reason}) with {version.Describe()}; VerifySignature expects {expectation.Identity}{(expectation.Issuer is { } issuer ? $" from {issuer}" : string.Empty)}");
    }

    /// <param name="consequence">What the refusal means where it is met ("Nothing was pushed." in the preflight).</param>
    private SigningDecision.Sign RequireSigning(string consequence = "") =>
        DecideSigning() as SigningDecision.Sign ?? throw new InvalidOperationException($"{DecideSigning().Reason}.{Suffix(consequence)}");

    private SignatureExpectation RequireExpectation(SigningIdentity identity, string consequence = "") =>
        ExpectSignature(identity) is { Expectation: { } expectation }
            ? expectation
            : throw new InvalidOperationException($"This run signs, but {ExpectSignature(identity).Reason}.{Suffix(consequence)}");

    private static string Suffix(string consequence) => consequence.Length == 0 ? string.Empty : " " + consequence;

    /// <summary>cosign reads registry logins from a docker config; this one lives only as long as one cosign stage.</summary>
    private async Task<T> WithDockerConfigAsync<T>(Func<string?, Task<T>> run)
    {
        var destination = ResultOf<PublishDestination>(PublishRegistry);
        if (destination.Credentials is not { } credentials)
            return await run(null);

        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        Secrets.Register(auth);
        var directory = CreateTemporaryDirectory("slipway-cosign-");
        try
        {
            var config = JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [destination.Host] = new { auth } } });
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "config.json"), config);
            return await run(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
