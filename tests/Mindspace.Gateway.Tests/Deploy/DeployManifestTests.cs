using System.Globalization;
using Mindspace.Runtime.Persistence.Postgres;
using Mindspace.Silo;
using static Mindspace.Gateway.Tests.Deploy.DeployRepository;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// Invariants of deploy/k8s that a reviewer would otherwise check by eye: probes, ports, drain budget,
/// secrets, routing, and that the internal grain port never becomes public. Schema-level validity is
/// .ci/lint-deploy's job; these tests are about what the manifests mean for Mindspace.
/// </summary>
public sealed class DeployManifestTests
{
    /// <summary>Time the kubelet should leave between the silo's drain budget and SIGKILL.</summary>
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(10);

    /// <summary>SHUTDOWN_TIMEOUT when unset: the host's budget for finishing in-flight work on SIGTERM.</summary>
    private static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ClusterSecrets = ["DATABASE_URL", "CLUSTER_SECRET"];

    [Fact]
    public void Every_deployment_has_readiness_and_liveness_probes_on_a_port_its_container_exposes()
    {
        Assert.Equal(new[] { "mindspace-gateway", "mindspace-silo" }, OfKind("Deployment").Select(d => d["metadata"]["name"].Text).Order());
        foreach (var deployment in OfKind("Deployment"))
        {
            var container = ContainerOf(deployment);
            var expectedPaths = new Dictionary<string, string> { ["readinessProbe"] = "/health/ready", ["livenessProbe"] = "/health/live" };
            foreach (var (probeName, path) in expectedPaths)
            {
                var probe = container[probeName]["httpGet"];
                Assert.True(probe.Exists, $"{probe.Path} is missing");
                Assert.Equal(path, probe["path"].Text);
                Assert.True(ContainerPort(container, probe["port"].Text) is not null, $"{probe.Path}.port {probe["port"].Text} is not a port the container declares");
            }

            if (container["startupProbe"].Exists)
            {
                var port = container["startupProbe"]["httpGet"]["port"];
                Assert.True(ContainerPort(container, port.Text) is not null, $"{port.Path} {port.Text} is not a port the container declares");
            }
        }
    }

    [Fact]
    public void Declared_container_ports_are_the_ports_the_processes_listen_on()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var container = ContainerOf(deployment);
            Assert.Equal(ResolveEnv(container, "PORT"), ContainerPort(container, "http")?["containerPort"].Value);
        }

        var silo = ContainerOf(SiloDeployment);
        Assert.NotNull(ResolveEnv(silo, "SILO_PORT"));
        Assert.Equal(ResolveEnv(silo, "SILO_PORT"), ContainerPort(silo, "silo")?["containerPort"].Value);
    }

    [Fact]
    public void Silo_grace_period_outlasts_the_partition_hand_off_with_margin()
    {
        var silo = ContainerOf(SiloDeployment);
        var env = EnvOf(silo, "SHUTDOWN_TIMEOUT");
        Assert.True(env?["valueFrom"]["configMapKeyRef"].Exists, "the silo should read SHUTDOWN_TIMEOUT from the ConfigMap");
        var raw = ResolveEnv(silo, "SHUTDOWN_TIMEOUT");
        Assert.True(ConfigurationValues.TryParseDuration(raw, out var drain), $"SHUTDOWN_TIMEOUT '{raw}' is not a duration the silo accepts");

        var grace = TimeSpan.FromSeconds(SiloDeployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].Int);
        Assert.True(grace >= drain + DrainMargin, $"terminationGracePeriodSeconds ({grace.TotalSeconds}s) must exceed SHUTDOWN_TIMEOUT ({drain.TotalSeconds}s) by at least {DrainMargin.TotalSeconds}s, or the kubelet kills silos mid hand-off");
    }

    [Fact]
    public void Gateway_grace_period_covers_the_pre_stop_pause_and_its_shutdown_timeout()
    {
        var container = ContainerOf(GatewayDeployment);
        var preStop = container["lifecycle"]["preStop"]["exec"]["command"].Items.Select(word => word.Text).ToList();
        var pause = preStop is ["sleep", var seconds] ? TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        var raw = ResolveEnv(container, "SHUTDOWN_TIMEOUT");
        var shutdown = raw is null ? DefaultShutdownTimeout
            : ConfigurationValues.TryParseDuration(raw, out var parsed) ? parsed
            : throw new Xunit.Sdk.XunitException($"the gateway's SHUTDOWN_TIMEOUT '{raw}' is not a duration");

        var grace = TimeSpan.FromSeconds(GatewayDeployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].Int);
        Assert.True(grace >= pause + shutdown + DrainMargin, $"terminationGracePeriodSeconds ({grace.TotalSeconds}s) must exceed the preStop pause ({pause.TotalSeconds}s) plus the shutdown timeout ({shutdown.TotalSeconds}s) with margin");
    }

    [Fact]
    public void Every_secret_and_config_map_reference_names_a_key_that_exists()
    {
        var secrets = SecretTemplates.Where(m => m["kind"].Value == "Secret")
            .ToDictionary(m => m["metadata"]["name"].Text, m => m["stringData"].ScalarEntries.Keys.Concat(m["data"].ScalarEntries.Keys).ToHashSet());
        foreach (var deployment in OfKind("Deployment"))
        {
            foreach (var env in ContainerOf(deployment)["env"].Items)
            {
                var secret = env["valueFrom"]["secretKeyRef"];
                if (secret.Exists)
                {
                    Assert.True(secrets.TryGetValue(secret["name"].Text, out var keys), $"{secret.Path} names Secret {secret["name"].Text}, which {SecretTemplateFile} does not define");
                    Assert.True(keys.Contains(secret["key"].Text), $"{secret.Path} reads {secret["key"].Text}, which is not in the {secret["name"].Text} template");
                    Assert.NotEqual("true", secret["optional"].Value);
                }

                if (env["valueFrom"]["configMapKeyRef"].Exists)
                {
                    Assert.NotNull(ResolveEnv(ContainerOf(deployment), env["name"].Text));
                }
            }
        }
    }

    [Fact]
    public void Cluster_credentials_come_from_the_secret_and_the_signing_key_stays_off_silos()
    {
        static void AssertFromSecret(Yaml container, string name)
        {
            var env = EnvOf(container, name);
            Assert.True(env?["valueFrom"]["secretKeyRef"].Exists, $"{container.Path} should read {name} from a Secret");
        }

        var silo = ContainerOf(SiloDeployment);
        var gateway = ContainerOf(GatewayDeployment);
        foreach (var name in ClusterSecrets)
        {
            AssertFromSecret(silo, name);
            AssertFromSecret(gateway, name);
        }

        AssertFromSecret(gateway, "JWT_SECRET");
        Assert.Null(EnvOf(silo, "JWT_SECRET"));
        Assert.DoesNotContain(Deployed, m => m["kind"].Value == "Secret");
    }

    [Fact]
    public void Secret_template_database_url_has_a_form_the_processes_accept()
    {
        var template = Assert.Single(SecretTemplates, m => m["kind"].Value == "Secret");
        var url = template["stringData"]["DATABASE_URL"].Text;

        var exception = Record.Exception(() => PostgresConnectionString.Normalize(url));

        Assert.Null(exception);
    }

    [Fact]
    public void Every_process_listens_on_all_interfaces_so_probes_and_peers_can_reach_it()
    {
        // HOST defaults to localhost for the gateway and the silo's health port; the kubelet probes the pod IP.
        Assert.All(OfKind("Deployment"), deployment => Assert.Equal("0.0.0.0", ResolveEnv(ContainerOf(deployment), "HOST")));
    }

    [Fact]
    public void Gateways_host_no_grains_and_silos_advertise_their_pod_ip()
    {
        Assert.Equal("true", ResolveEnv(ContainerOf(GatewayDeployment), "GATEWAY_ONLY"));
        var advertise = EnvOf(ContainerOf(SiloDeployment), "SILO_ADVERTISE_ADDRESS");
        Assert.Equal("status.podIP", advertise?["valueFrom"]["fieldRef"]["fieldPath"].Value);
    }

    [Fact]
    public void Ingress_routes_only_to_the_gateway_service_port_that_reaches_the_gateway_http_port()
    {
        var gatewayService = Single("Service", "mindspace-gateway");
        Assert.True(Selects(gatewayService["spec"]["selector"].ScalarEntries, GatewayDeployment), "the gateway Service does not select the gateway pods");
        var backends = Assert.Single(OfKind("Ingress"))["spec"]["rules"].Items
            .SelectMany(rule => rule["http"]["paths"].Items)
            .Select(path => path["backend"]["service"])
            .ToList();
        Assert.NotEmpty(backends);
        foreach (var backend in backends)
        {
            Assert.Equal("mindspace-gateway", backend["name"].Text);
            var portRef = backend["port"]["name"].Value ?? backend["port"]["number"].Text;
            var servicePort = gatewayService["spec"]["ports"].Items.SingleOrDefault(p => p["name"].Value == portRef || p["port"].Value == portRef);
            Assert.True(servicePort is not null, $"{backend.Path} uses port {portRef}, which the gateway Service does not have");
            var target = ContainerPort(ContainerOf(GatewayDeployment), servicePort["targetPort"].Text);
            Assert.Equal(ResolveEnv(ContainerOf(GatewayDeployment), "PORT"), target?["containerPort"].Value);
        }
    }

    [Fact]
    public void Silo_internal_port_is_never_published()
    {
        var silo = ContainerOf(SiloDeployment);
        var siloPort = ResolveEnv(silo, "SILO_PORT")!;
        string[] siloPortRefs = [siloPort, "silo"];

        Assert.Null(ContainerPort(ContainerOf(GatewayDeployment), siloPort));
        foreach (var service in OfKind("Service"))
        {
            var selectsSilos = Selects(service["spec"]["selector"].ScalarEntries, SiloDeployment);
            var ports = service["spec"]["ports"].Items;
            if (selectsSilos)
            {
                Assert.Equal("ClusterIP", service["spec"]["type"].Value ?? "ClusterIP");
            }
            else
            {
                Assert.DoesNotContain(ports, p => siloPortRefs.Contains(p["port"].Value) || siloPortRefs.Contains(p["targetPort"].Value));
            }
        }

        foreach (var backend in OfKind("Ingress").SelectMany(i => i["spec"]["rules"].Items).SelectMany(r => r["http"]["paths"].Items).Select(p => p["backend"]["service"]))
        {
            var service = Single("Service", backend["name"].Text);
            Assert.False(Selects(service["spec"]["selector"].ScalarEntries, SiloDeployment), $"{backend.Path} routes public traffic to silos");
            Assert.DoesNotContain(backend["port"]["number"].Value ?? backend["port"]["name"].Value, siloPortRefs);
        }
    }

    [Fact]
    public void Only_silos_and_gateways_may_open_the_silo_port()
    {
        var policy = Assert.Single(OfKind("NetworkPolicy"), p => Selects(p["spec"]["podSelector"]["matchLabels"].ScalarEntries, SiloDeployment));
        Assert.Contains("Ingress", policy["spec"]["policyTypes"].Items.Select(t => t.Text));
        var rules = policy["spec"]["ingress"].Items;
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var peers = rule["from"].Items;
            Assert.True(peers.Count > 0, $"{rule.Path} admits every peer");
            foreach (var peer in peers)
            {
                Assert.False(peer["namespaceSelector"].Exists || peer["ipBlock"].Exists, $"{peer.Path} admits pods outside the namespace");
                var labels = peer["podSelector"]["matchLabels"].ScalarEntries;
                Assert.True(Selects(labels, SiloDeployment) || Selects(labels, GatewayDeployment), $"{peer.Path} admits pods that are neither silos nor gateways");
            }

            Assert.Equal(new[] { "silo" }, rule["ports"].Items.Select(p => p["port"].Text));
        }
    }

    [Fact]
    public void Gateways_autoscale_on_cpu_from_at_least_two_replicas()
    {
        var hpa = Assert.Single(OfKind("HorizontalPodAutoscaler"));
        Assert.Equal("autoscaling/v2", hpa["apiVersion"].Text);
        Assert.Equal("Deployment", hpa["spec"]["scaleTargetRef"]["kind"].Text);
        Assert.Equal("mindspace-gateway", hpa["spec"]["scaleTargetRef"]["name"].Text);
        var min = hpa["spec"]["minReplicas"].Int;
        Assert.True(min >= 2, "minReplicas must keep two gateways so one can be drained");
        Assert.True(hpa["spec"]["maxReplicas"].Int > min);
        Assert.Contains(hpa["spec"]["metrics"].Items, m => m["resource"]["name"].Value == "cpu");

        // CPU utilization is measured against the request: without one the HPA cannot scale.
        Assert.True(ContainerOf(GatewayDeployment)["resources"]["requests"]["cpu"].Exists, "the gateway container needs a CPU request for the HPA");
        // A replica count here would be re-applied over the HPA's on every `kubectl apply`.
        Assert.False(GatewayDeployment["spec"]["replicas"].Exists, "the HPA owns the gateway replica count");
        Assert.Equal(3, SiloDeployment["spec"]["replicas"].Int);
    }

    [Fact]
    public void Disruption_budgets_take_one_silo_and_one_gateway_at_a_time()
    {
        foreach (var deployment in new[] { SiloDeployment, GatewayDeployment })
        {
            var budget = Assert.Single(OfKind("PodDisruptionBudget"), b => Selects(b["spec"]["selector"]["matchLabels"].ScalarEntries, deployment));
            Assert.Equal("1", budget["spec"]["maxUnavailable"].Value);
        }

        var silo = SiloDeployment["spec"]["strategy"]["rollingUpdate"];
        Assert.Equal("0", silo["maxUnavailable"].Value);
        Assert.Equal("1", silo["maxSurge"].Value);
    }

    [Fact]
    public void Pods_run_unprivileged_on_a_read_only_root_with_a_writable_tmp_and_bounded_resources()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var pod = deployment["spec"]["template"]["spec"];
            var container = ContainerOf(deployment);
            Assert.Equal("true", pod["securityContext"]["runAsNonRoot"].Value);
            // 1654 is APP_UID, the non-root user of the .NET images (USER $APP_UID in the Containerfiles).
            Assert.Equal(1654, pod["securityContext"]["runAsUser"].Int);
            Assert.Equal("true", container["securityContext"]["readOnlyRootFilesystem"].Value);
            Assert.Equal("false", container["securityContext"]["allowPrivilegeEscalation"].Value);
            Assert.Contains("ALL", container["securityContext"]["capabilities"]["drop"].Items.Select(c => c.Text));

            var tmp = Assert.Single(container["volumeMounts"].Items, m => m["mountPath"].Value == "/tmp");
            var volume = Assert.Single(pod["volumes"].Items, v => v["name"].Value == tmp["name"].Text);
            Assert.True(volume["emptyDir"].Exists, $"{volume.Path} should be an emptyDir");

            foreach (var bound in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container["resources"][bound][resource].Exists, $"{container.Path}.resources.{bound}.{resource} is missing");
                }
            }
        }
    }

    [Fact]
    public void Ingress_keeps_hub_connections_open_and_admits_bodies_up_to_the_gateway_limit()
    {
        var annotations = Assert.Single(OfKind("Ingress"))["metadata"]["annotations"].ScalarEntries;
        foreach (var timeout in new[] { "proxy-read-timeout", "proxy-send-timeout" })
        {
            Assert.True(annotations.TryGetValue($"nginx.ingress.kubernetes.io/{timeout}", out var seconds), $"{timeout} is not set");
            Assert.True(int.Parse(seconds, CultureInfo.InvariantCulture) >= 3600, $"{timeout} {seconds}s would cut idle hub connections");
        }

        Assert.True(annotations.TryGetValue("nginx.ingress.kubernetes.io/proxy-body-size", out var bodySize), "proxy-body-size is not set");
        var gatewayLimit = long.Parse(ResolveEnv(ContainerOf(GatewayDeployment), "MAX_REQUEST_BODY_BYTES") ?? "65536", CultureInfo.InvariantCulture);
        Assert.True(NginxSize(bodySize) >= gatewayLimit, $"proxy-body-size {bodySize} is below the gateway's MAX_REQUEST_BODY_BYTES ({gatewayLimit}), so nginx would answer 413 instead of the gateway");
    }

    [Fact]
    public void Kustomization_lists_every_manifest_that_exists_and_never_the_secret_template()
    {
        var listed = KustomizationResources;
        Assert.All(listed, file => Assert.True(File.Exists(Path.Combine(K8sDirectory, file)), $"kustomization.yaml lists {file}, which does not exist"));
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.DoesNotContain(SecretTemplateFile, listed);

        var manifests = Directory.GetFiles(K8sDirectory, "*.yaml").Select(Path.GetFileName)
            .Where(file => file is not (KustomizationFile or SecretTemplateFile));
        Assert.All(manifests, file => Assert.Contains(file, listed));

        var images = Kustomization["images"].Items.Select(image => image["name"].Text).Order();
        Assert.Equal(OfKind("Deployment").Select(d => ContainerOf(d)["image"].Text).Order(), images);

        var ns = Kustomization["namespace"].Text;
        Assert.Equal(ns, Single("Namespace", ns)["metadata"]["name"].Text);
        Assert.All(Deployed.Where(m => m["kind"].Value != "Namespace"), m => Assert.Equal(ns, m["metadata"]["namespace"].Value));
    }

    /// <summary>nginx size syntax: bytes, or a k/m/g suffix.</summary>
    private static long NginxSize(string size)
    {
        var text = size.Trim().ToLowerInvariant();
        var factor = text[^1] switch { 'k' => 1024L, 'm' => 1024L * 1024, 'g' => 1024L * 1024 * 1024, _ => 1L };
        return long.Parse(factor == 1 ? text : text[..^1], CultureInfo.InvariantCulture) * factor;
    }
}
