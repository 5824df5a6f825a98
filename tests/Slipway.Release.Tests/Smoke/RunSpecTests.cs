using Slipway.Release.Smoke;

namespace Slipway.Release.Tests.Smoke;

public sealed class RunSpecTests
{
    private const string Render = """
        ---
        # Source: app/templates/configmap.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app
        data:
          PORT: "8080"
          LOG_LEVEL: Information
        ---
        # Source: app/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          selector:
            matchLabels:
              app: app
          template:
            metadata:
              labels:
                app: app
            spec:
              securityContext:
                runAsUser: 10001
                runAsGroup: 10002
              containers:
                - name: app
                  image: example.invalid/app:1.0.0
                  args: ["--serve"]
                  ports:
                    - name: http
                      containerPort: 8080
                    - name: metrics
                      containerPort: 9090
                  envFrom:
                    - configMapRef:
                        name: app
                    - secretRef:
                        name: app-secrets
                  env:
                    - name: CHART_VERSION
                      value: "0.1.0"
                    - name: LOG_LEVEL
                      value: Debug
                    - name: FROM_MAP
                      valueFrom:
                        configMapKeyRef:
                          name: app
                          key: PORT
                    - name: TOKEN
                      valueFrom:
                        secretKeyRef:
                          name: app-secrets
                          key: token
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: http
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: 9090
        """;

    [Fact]
    public void Env_ports_probes_and_user_come_from_the_deployment_with_config_map_references_resolved()
    {
        var spec = RunSpec.FromRenderedChart(Render);

        var env = spec.EffectiveEnvironment;
        Assert.Equal("8080", env["PORT"].Value);
        Assert.Contains("ConfigMap app key PORT", env["PORT"].Source, StringComparison.Ordinal);
        Assert.Equal("Debug", env["LOG_LEVEL"].Value); // env wins over envFrom
        Assert.Equal("0.1.0", env["CHART_VERSION"].Value);
        Assert.Equal("8080", env["FROM_MAP"].Value);
        Assert.False(env.ContainsKey("TOKEN"));
        Assert.Contains(spec.Notes, note => note.Contains("secretKeyRef", StringComparison.Ordinal) && note.Contains("TOKEN", StringComparison.Ordinal));
        Assert.Contains(spec.Notes, note => note.Contains("secretRef: Secret 'app-secrets' skipped", StringComparison.Ordinal));
        Assert.Equal(["--serve"], spec.Args);
        Assert.Null(spec.Command);
        Assert.Equal([8080, 9090], spec.Ports.Select(port => port.Number));
        Assert.Equal(new HttpProbeSpec("readinessProbe", "/ready", 8080, "http", "spec.template.spec.containers[0].readinessProbe.httpGet.path", "spec.template.spec.containers[0].readinessProbe.httpGet.port"), spec.Readiness);
        Assert.Equal(9090, spec.Liveness!.Port);
        Assert.Equal(10001, spec.RunAsUser);
        Assert.Equal(10002, spec.RunAsGroup);
        Assert.Equal("spec.template.spec.securityContext.runAsUser", spec.RunAsUserField);
    }

    [Fact]
    public void A_probe_naming_a_port_the_container_does_not_declare_fails_naming_the_field()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpec.FromRenderedChart(Render.Replace("port: http", "port: web", StringComparison.Ordinal)));

        Assert.Contains("spec.template.spec.containers[0].readinessProbe.httpGet.port names port 'web'", error.Message, StringComparison.Ordinal);
        Assert.Contains("http=8080, metrics=9090", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_to_a_missing_config_map_key_fails_naming_the_field()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpec.FromRenderedChart(Render.Replace("key: PORT", "key: PROT", StringComparison.Ordinal)));

        Assert.Contains("spec.template.spec.containers[0].env[2].valueFrom.configMapKeyRef.key names key 'PROT'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_without_a_deployment_says_so()
    {
        var error = Assert.Throws<RunSpecException>(() => RunSpec.FromRenderedChart(Render[..Render.IndexOf("# Source: app/templates/deployment.yaml", StringComparison.Ordinal)]));

        Assert.Contains("no Deployment", error.Message, StringComparison.Ordinal);
    }
}
