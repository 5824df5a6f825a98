using Slipway.Release.PrSmoke;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class ServiceSmokePlanTests
{
    private const string Image = "127.0.0.1:5000/beacon@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static int _port = 40000;

    private static int NextPort() => Interlocked.Increment(ref _port);

    [Theory]
    [InlineData("http")]
    [InlineData("8080")]
    public void The_service_port_whose_target_is_the_container_port_by_name_or_number_is_forwarded(string targetPort)
    {
        var plan = ServiceSmoke.Plan(RenderedRelease.Parse(SampleRender.Yaml(Image, targetPort), "sample"), NextPort);

        Assert.Equal("beacon-abcde-beacon", plan.Service);
        var port = Assert.Single(plan.Ports);
        Assert.Equal((8080, 80), (port.ContainerPort, port.ServicePort));
        Assert.Equal([new Slipway.Release.Kubernetes.PortMapping(port.LocalPort, 80)], plan.Mappings);
        Assert.Contains($"127.0.0.1:{port.LocalPort} -> svc/beacon-abcde-beacon:80 -> container port 8080", plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_that_targets_another_port_fails_naming_the_container_port_field_and_the_service()
    {
        var error = Assert.Throws<PrSmokeException>(() => ServiceSmoke.Plan(RenderedRelease.Parse(SampleRender.Yaml(Image, "9090"), "sample"), NextPort));

        Assert.Contains("forwards to container port 8080 (spec.template.spec.containers[0].readinessProbe.httpGet.port)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Service/beacon-abcde-beacon", error.Message, StringComparison.Ordinal);
        Assert.Contains("ports 80->9090", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_whose_selector_misses_the_pods_is_not_used()
    {
        var error = Assert.Throws<PrSmokeException>(() => ServiceSmoke.Plan(RenderedRelease.Parse(SampleRender.Yaml(Image, selectorInstance: "someone-else"), "sample"), NextPort));

        Assert.Contains("selector app.kubernetes.io/name=beacon,app.kubernetes.io/instance=someone-else", error.Message, StringComparison.Ordinal);
        Assert.Contains("fix its selector or targetPort", error.Message, StringComparison.Ordinal);
    }
}
