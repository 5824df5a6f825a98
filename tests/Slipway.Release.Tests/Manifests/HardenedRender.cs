namespace Slipway.Release.Tests.Manifests;

/// <summary>A render that passes every policy rule; tests break one thing at a time by text replacement.</summary>
internal static class HardenedRender
{
    public const string Yaml = """
        ---
        # Source: app/templates/serviceaccount.yaml
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: web
        automountServiceAccountToken: false
        ---
        # Source: app/templates/service.yaml
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
            - port: 80
              targetPort: http
        ---
        # Source: app/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              serviceAccountName: web
              securityContext:
                runAsNonRoot: true
                runAsUser: 10001
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: app
                  image: registry.example:5000/team/app:1.2.3
                  ports:
                    - name: http
                      containerPort: 8080
                  env:
                    - name: LOG_LEVEL
                      value: info
                  securityContext:
                    allowPrivilegeEscalation: false
                    readOnlyRootFilesystem: true
                    capabilities:
                      drop: [ALL]
                  resources:
                    requests:
                      cpu: 50m
                      memory: 64Mi
                    limits:
                      memory: 128Mi
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: http
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: 8080
                  volumeMounts:
                    - name: tmp
                      mountPath: /tmp
              volumes:
                - name: tmp
                  emptyDir: {}
        """;

    /// <summary>The render with <paramref name="find"/> replaced once; fails loudly if the fixture no longer contains it.</summary>
    public static string With(string find, string replace)
    {
        var at = Yaml.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"fixture does not contain '{find}'");
        Assert.True(Yaml.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"fixture contains '{find}' more than once");
        return Yaml[..at] + replace + Yaml[(at + find.Length)..];
    }
}
