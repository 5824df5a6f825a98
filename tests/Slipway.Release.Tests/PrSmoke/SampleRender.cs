namespace Slipway.Release.Tests.PrSmoke;

/// <summary>A render shaped like charts/beacon's (Deployment, Service, ConfigMap), with the parts a test varies.</summary>
internal static class SampleRender
{
    public static string Yaml(string image, string targetPort = "http", string selectorInstance = "beacon-abcde", int containerPort = 8080, string? initImage = null) => $$"""
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: beacon-abcde-beacon
        spec:
          type: ClusterIP
          selector:
            app.kubernetes.io/name: beacon
            app.kubernetes.io/instance: {{selectorInstance}}
          ports:
            - name: http
              port: 80
              targetPort: {{targetPort}}
              protocol: TCP
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: beacon-abcde-beacon
        spec:
          replicas: 1
          selector:
            matchLabels:
              app.kubernetes.io/name: beacon
              app.kubernetes.io/instance: beacon-abcde
          template:
            metadata:
              labels:
                app.kubernetes.io/name: beacon
                app.kubernetes.io/instance: beacon-abcde
            spec:
        {{(initImage is null ? string.Empty : $"      initContainers:\n        - name: init\n          image: \"{initImage}\"\n")}}      containers:
                - name: beacon
                  image: "{{image}}"
                  ports:
                    - name: http
                      containerPort: {{containerPort}}
                      protocol: TCP
                  env:
                    - name: CHART_VERSION
                      value: "0.1.1-pr.7"
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: http
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: http
        """;
}
