using System.Globalization;
using Mindspace.Silo;
using Mindspace.Silo.Storage.Postgres;
using Xunit.Sdk;
using static Mindspace.Gateway.Tests.Deploy.DeployRepository;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// Invariants of deploy/k8s that a reviewer would otherwise check by eye: probes, ports, drain budget,
/// secrets, routing, and that the internal grain port never becomes public. Schema-level validity is
/// .ci/lint-deploy's job; these tests are about what the manifests mean for Mindspace.
/// </summary>
public sealed class DeployManifestTests
{
    /// <summary>Time the kubelet should leave between a process's shutdown budget and SIGKILL.</summary>
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(10);

    /// <summary>SHUTDOWN_TIMEOUT when unset: the host's budget for finishing in-flight work on SIGTERM.</summary>
    private static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The container port names of Orleans' silo-to-silo and client-to-silo ports.</summary>
    private const string SiloPortName = "silo";
    private const string OrleansGatewayPortName = "orleans-gateway";
    private const string MetricsPortName = "metrics";

    /// <summary>The labels Orleans' Kubernetes hosting selects silo pods by (KubernetesHostingOptions).</summary>
    private const string ServiceIdLabel = "orleans/serviceId";
    private const string ClusterIdLabel = "orleans/clusterId";

    /// <summary>
    /// What Orleans' KubernetesClusterAgent (Microsoft.Orleans.Hosting.Kubernetes 10.4.2) calls on pods in
    /// its own namespace: ReadNamespacedPod (get), PatchNamespacedPod (patch, its own labels),
    /// ListNamespacedPod (list) and WatchListNamespacedPod (watch). DeleteNamespacedPod (delete) only runs
    /// with DeleteDefunctSiloPods=true, which Mindspace leaves at its default, false.
    /// </summary>
    private static readonly string[] OrleansKubernetesHostingVerbs = ["get", "list", "patch", "watch"];

    private const string TlsSecretType = "kubernetes.io/tls";

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
                var port = ContainerPort(container, probe["port"].Text);
                Assert.True(port is not null, $"{probe.Path}.port {probe["port"].Text} is not a port the container declares");
                // The health endpoints are served on PORT (for the silo: its only HTTP port).
                Assert.Equal(ResolveEnv(container, "PORT"), port["containerPort"].Value);
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
            Assert.Equal(ResolveEnv(container, "METRICS_PORT"), ContainerPort(container, MetricsPortName)?["containerPort"].Value);
        }

        var silo = ContainerOf(SiloDeployment);
        Assert.NotNull(ResolveEnv(silo, "SILO_PORT"));
        Assert.NotNull(ResolveEnv(silo, "GATEWAY_PORT"));
        Assert.Equal(ResolveEnv(silo, "SILO_PORT"), ContainerPort(silo, SiloPortName)?["containerPort"].Value);
        Assert.Equal(ResolveEnv(silo, "GATEWAY_PORT"), ContainerPort(silo, OrleansGatewayPortName)?["containerPort"].Value);

        var ports = silo["ports"].Items.Select(port => port["containerPort"].Text).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void Silo_grace_period_outlasts_its_graceful_shutdown_with_margin()
    {
        var silo = ContainerOf(SiloDeployment);
        var env = EnvOf(silo, "SHUTDOWN_TIMEOUT");
        Assert.True(env?["valueFrom"]["configMapKeyRef"].Exists, "the silo should read SHUTDOWN_TIMEOUT from the ConfigMap");
        var raw = ResolveEnv(silo, "SHUTDOWN_TIMEOUT");
        Assert.True(ConfigurationValues.TryParseDuration(raw, out var drain), $"SHUTDOWN_TIMEOUT '{raw}' is not a duration the silo accepts");

        var grace = TimeSpan.FromSeconds(PodSpecOf(SiloDeployment)["terminationGracePeriodSeconds"].Int);
        Assert.True(grace >= drain + DrainMargin, $"terminationGracePeriodSeconds ({grace.TotalSeconds}s) must exceed SHUTDOWN_TIMEOUT ({drain.TotalSeconds}s) by at least {DrainMargin.TotalSeconds}s, or the kubelet kills silos while they leave the cluster");
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
            : throw new XunitException($"the gateway's SHUTDOWN_TIMEOUT '{raw}' is not a duration");

        var grace = TimeSpan.FromSeconds(PodSpecOf(GatewayDeployment)["terminationGracePeriodSeconds"].Int);
        Assert.True(grace >= pause + shutdown + DrainMargin, $"terminationGracePeriodSeconds ({grace.TotalSeconds}s) must exceed the preStop pause ({pause.TotalSeconds}s) plus the shutdown timeout ({shutdown.TotalSeconds}s) with margin");
    }

    [Fact]
    public void Every_secret_and_config_map_reference_names_a_key_that_exists()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            foreach (var env in ContainerOf(deployment)["env"].Items)
            {
                var secret = env["valueFrom"]["secretKeyRef"];
                if (secret.Exists)
                {
                    Assert.Contains(secret["key"].Text, KeysOf(SecretTemplate(secret["name"].Text)));
                    Assert.NotEqual("true", secret["optional"].Value);
                }

                var configMapKey = env["valueFrom"]["configMapKeyRef"];
                if (configMapKey.Exists)
                {
                    // An optional key may be absent (the variable is then unset: a feature left off);
                    // the ConfigMap must be deployed either way, and a required key must be in it.
                    Single("ConfigMap", configMapKey["name"].Text);
                    if (configMapKey["optional"].Value != "true")
                    {
                        Assert.NotNull(ResolveEnv(ContainerOf(deployment), env["name"].Text));
                    }
                }
            }

            foreach (var volume in PodSpecOf(deployment)["volumes"].Items.Where(v => v["secret"].Exists))
            {
                var template = SecretTemplate(volume["secret"]["secretName"].Text);
                Assert.NotEqual("true", volume["secret"]["optional"].Value);
                Assert.All(volume["secret"]["items"].Items, item => Assert.Contains(item["key"].Text, KeysOf(template)));
            }
        }
    }

    [Fact]
    public void Database_url_and_keys_come_from_the_secret_the_signing_key_stays_off_silos_and_the_master_key_off_gateways()
    {
        static void AssertFromSecret(Yaml container, string name)
        {
            var env = EnvOf(container, name);
            Assert.True(env?["valueFrom"]["secretKeyRef"].Exists, $"{container.Path} should read {name} from a Secret");
        }

        var silo = ContainerOf(SiloDeployment);
        var gateway = ContainerOf(GatewayDeployment);
        AssertFromSecret(silo, "DATABASE_URL");
        AssertFromSecret(gateway, "DATABASE_URL");
        AssertFromSecret(gateway, "JWT_SECRET");
        Assert.Null(EnvOf(silo, "JWT_SECRET"));
        AssertFromSecret(silo, "MASTER_KEY"); // silos host the journal grains; gateways (GATEWAY_ONLY) never see the key
        Assert.Null(EnvOf(gateway, "MASTER_KEY"));
        Assert.DoesNotContain(Deployed, m => m["kind"].Value == "Secret");
    }

    [Fact]
    public void Secret_template_database_url_has_a_form_the_processes_accept()
    {
        var url = SecretTemplate("mindspace-secrets")["stringData"]["DATABASE_URL"].Text;

        var exception = Record.Exception(() => PostgresConnectionString.Normalize(url));

        Assert.Null(exception);
    }

    [Fact]
    public void The_shared_cluster_secret_is_gone_from_every_deployment_file()
    {
        // Mutual TLS with the cluster certificate replaced the shared secret of the old runtime's transport.
        var deployDirectory = Path.Combine(Root, "deploy");
        var files = Directory.EnumerateFiles(deployDirectory, "*", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(deployDirectory, file).Split(Path.DirectorySeparatorChar).Any(part => part is ".run" or "__pycache__"))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Assert.False(File.ReadAllText(file).Contains("CLUSTER_SECRET", StringComparison.Ordinal), $"{Path.GetRelativePath(Root, file)} still mentions CLUSTER_SECRET");
        }
    }

    [Fact]
    public void Every_process_listens_on_all_interfaces_so_probes_and_peers_can_reach_it()
    {
        // HOST defaults to localhost for the gateway and the silo's health port; the kubelet probes the pod IP.
        Assert.All(OfKind("Deployment"), deployment => Assert.Equal("0.0.0.0", ResolveEnv(ContainerOf(deployment), "HOST")));
    }

    [Fact]
    public void Silo_pods_get_name_namespace_and_ip_from_the_downward_api_for_orleans_kubernetes_hosting()
    {
        var silo = ContainerOf(SiloDeployment);
        Assert.Equal("metadata.name", FieldRefOf(silo, "POD_NAME"));
        Assert.Equal("metadata.namespace", FieldRefOf(silo, "POD_NAMESPACE"));
        Assert.Equal("status.podIP", FieldRefOf(silo, "POD_IP"));

        // The silo advertises POD_IP unless SILO_ADVERTISE_ADDRESS says otherwise; anything else than the
        // pod IP would be unreachable for the other members.
        if (EnvOf(silo, "SILO_ADVERTISE_ADDRESS") is not null)
        {
            Assert.Equal("status.podIP", FieldRefOf(silo, "SILO_ADVERTISE_ADDRESS"));
        }
    }

    [Fact]
    public void Gateways_are_orleans_clients_that_host_no_grains_and_open_no_silo_port()
    {
        var gateway = ContainerOf(GatewayDeployment);
        Assert.Equal("true", ResolveEnv(gateway, "GATEWAY_ONLY"));
        Assert.Null(EnvOf(gateway, "SILO_PORT"));
        Assert.Null(EnvOf(gateway, "GATEWAY_PORT"));
        Assert.Null(ContainerPort(gateway, SiloPortName));
        Assert.Null(ContainerPort(gateway, OrleansGatewayPortName));
    }

    [Fact]
    public void Silos_and_gateways_name_the_same_orleans_cluster_and_silo_pods_carry_its_labels()
    {
        var silo = ContainerOf(SiloDeployment);
        var gateway = ContainerOf(GatewayDeployment);
        foreach (var (name, label) in new[] { ("ORLEANS_CLUSTER_ID", ClusterIdLabel), ("ORLEANS_SERVICE_ID", ServiceIdLabel) })
        {
            var value = ResolveEnv(silo, name);
            Assert.False(string.IsNullOrEmpty(value), $"the silo's {name} is not set");
            Assert.Equal(value, ResolveEnv(gateway, name));

            // Orleans' Kubernetes hosting selects silo pods by these labels (it patches them onto its own
            // pod when they differ). A gateway labelled so would be listed as a pod without a silo.
            Assert.True(PodLabelsOf(SiloDeployment).TryGetValue(label, out var labelled), $"silo pods lack the {label} label");
            Assert.Equal(value, labelled);
            Assert.False(PodLabelsOf(GatewayDeployment).ContainsKey(label), $"gateway pods must not carry {label}");

            // A label the agent may patch must not decide which pods the Deployment owns.
            Assert.False(SiloDeployment["spec"]["selector"]["matchLabels"].ScalarEntries.ContainsKey(label), $"{label} must not be in the silo selector");
        }
    }

    [Fact]
    public void Silo_pods_use_a_service_account_bound_to_a_role_with_exactly_the_verbs_orleans_kubernetes_hosting_uses()
    {
        var pod = PodSpecOf(SiloDeployment);
        var accountName = pod["serviceAccountName"].Text;
        var account = Single("ServiceAccount", accountName);
        var automount = pod["automountServiceAccountToken"].Value ?? account["automountServiceAccountToken"].Value ?? "true";
        Assert.True(automount == "true", "silo pods need their service account token: Orleans' Kubernetes hosting uses the in-cluster configuration");

        var bindings = BindingsOf(accountName).ToList();
        var binding = Assert.Single(bindings);
        Assert.Equal("Role", binding["roleRef"]["kind"].Text);
        Assert.Equal("rbac.authorization.k8s.io", binding["roleRef"]["apiGroup"].Text);
        var role = Single("Role", binding["roleRef"]["name"].Text);

        var granted = new HashSet<(string Group, string Resource, string Verb)>();
        foreach (var rule in role["rules"].Items)
        {
            Assert.False(rule["resourceNames"].Exists, $"{rule.Path}: pod names are not known in advance");
            Assert.False(rule["nonResourceURLs"].Exists, $"{rule.Path} grants non-resource URLs");
            foreach (var group in rule["apiGroups"].Items.Select(g => g.Value ?? string.Empty))
            {
                foreach (var resource in rule["resources"].Items.Select(r => r.Text))
                {
                    foreach (var verb in rule["verbs"].Items.Select(v => v.Text))
                    {
                        granted.Add((group, resource, verb));
                    }
                }
            }
        }

        Assert.Equal(OrleansKubernetesHostingVerbs.Select(verb => (string.Empty, "pods", verb)).Order(), granted.Order());
        Assert.Empty(OfKind("ClusterRole"));
        Assert.Empty(OfKind("ClusterRoleBinding"));
    }

    [Fact]
    public void Gateway_pods_have_no_kubernetes_api_access()
    {
        var pod = PodSpecOf(GatewayDeployment);
        Assert.Equal("false", pod["automountServiceAccountToken"].Value);
        var accountName = pod["serviceAccountName"].Value ?? "default";
        Assert.NotEqual(PodSpecOf(SiloDeployment)["serviceAccountName"].Text, accountName);
        Assert.Empty(BindingsOf(accountName));
    }

    [Fact]
    public void Every_member_presents_the_cluster_certificate_mounted_from_the_tls_secret()
    {
        var secretNames = new HashSet<string>();
        foreach (var deployment in OfKind("Deployment"))
        {
            var container = ContainerOf(deployment);
            foreach (var (name, key, required) in new[] { ("CLUSTER_TLS_CERT", "tls.crt", true), ("CLUSTER_TLS_KEY", "tls.key", true), ("CLUSTER_TLS_CA", "ca.crt", false) })
            {
                var env = EnvOf(container, name);
                if (env is null)
                {
                    Assert.False(required, $"{container.Path} does not set {name}");
                    continue;
                }

                // A file path, mounted from the TLS secret: the key never sits in an environment variable.
                var path = env["value"].Text;
                Assert.StartsWith("/", path);
                var mount = container["volumeMounts"].Items.SingleOrDefault(m => path.StartsWith(m["mountPath"].Text.TrimEnd('/') + "/", StringComparison.Ordinal));
                Assert.True(mount is not null, $"{env.Path} {path} is in no volume the container mounts");
                Assert.Equal("true", mount["readOnly"].Value);
                var volume = Assert.Single(PodSpecOf(deployment)["volumes"].Items, v => v["name"].Value == mount["name"].Text);
                var secretName = volume["secret"]["secretName"].Value;
                Assert.True(secretName is not null, $"{volume.Path} should be the cluster TLS secret");
                secretNames.Add(secretName);

                var fileName = path[(mount["mountPath"].Text.TrimEnd('/').Length + 1)..];
                var items = volume["secret"]["items"].Items;
                var mountedKey = items.Count == 0 ? fileName : items.SingleOrDefault(i => i["path"].Value == fileName)?["key"].Value;
                Assert.Equal(key, mountedKey);

                var template = SecretTemplate(secretName);
                Assert.Equal(TlsSecretType, template["type"].Value);
                Assert.Contains(key, KeysOf(template));
            }
        }

        // Silos and gateways are one cluster: one certificate.
        Assert.Single(secretNames);
    }

    [Fact]
    public void Orleans_ports_are_never_published()
    {
        var silo = ContainerOf(SiloDeployment);
        string[] orleansPorts = [ResolveEnv(silo, "SILO_PORT")!, ResolveEnv(silo, "GATEWAY_PORT")!, SiloPortName, OrleansGatewayPortName];

        foreach (var port in orleansPorts.Take(2))
        {
            Assert.Null(ContainerPort(ContainerOf(GatewayDeployment), port));
        }

        foreach (var service in OfKind("Service"))
        {
            var ports = service["spec"]["ports"].Items;
            if (Selects(service["spec"]["selector"].ScalarEntries, SiloDeployment))
            {
                Assert.Equal("ClusterIP", service["spec"]["type"].Value ?? "ClusterIP");
                Assert.False(service["spec"]["externalIPs"].Exists, $"{service.Path} has external IPs");
            }
            else
            {
                Assert.DoesNotContain(ports, p => orleansPorts.Contains(p["port"].Value) || orleansPorts.Contains(p["targetPort"].Value));
            }
        }

        foreach (var backend in IngressBackends())
        {
            var service = Single("Service", backend["name"].Text);
            Assert.False(Selects(service["spec"]["selector"].ScalarEntries, SiloDeployment), $"{backend.Path} routes public traffic to silos");
            Assert.DoesNotContain(backend["port"]["number"].Value ?? backend["port"]["name"].Value, orleansPorts);
        }

        foreach (var deployment in OfKind("Deployment"))
        {
            Assert.NotEqual("true", PodSpecOf(deployment)["hostNetwork"].Value);
            Assert.All(ContainerOf(deployment)["ports"].Items, port => Assert.False(port["hostPort"].Exists, $"{port.Path} binds a host port"));
        }
    }

    [Fact]
    public void Metrics_port_is_internal_and_announced_to_prometheus()
    {
        foreach (var deployment in OfKind("Deployment"))
        {
            var container = ContainerOf(deployment);
            var metricsPort = ResolveEnv(container, "METRICS_PORT");
            Assert.False(string.IsNullOrEmpty(metricsPort), $"{deployment.Path} sets no METRICS_PORT");
            Assert.NotEqual(ResolveEnv(container, "PORT"), metricsPort);
            string[] refs = [metricsPort, MetricsPortName];

            // No Service carries it, so neither the Ingress nor any other client reaches it by name.
            foreach (var service in OfKind("Service").Where(s => Selects(s["spec"]["selector"].ScalarEntries, deployment)))
            {
                Assert.DoesNotContain(service["spec"]["ports"].Items, p => refs.Contains(p["targetPort"].Value) || refs.Contains(p["port"].Value));
            }

            var annotations = deployment["spec"]["template"]["metadata"]["annotations"].ScalarEntries;
            if (annotations.TryGetValue("prometheus.io/port", out var announced))
            {
                Assert.Equal(metricsPort, announced);
            }
        }
    }

    [Fact]
    public void Ingress_routes_only_to_the_gateway_service_port_that_reaches_the_gateway_http_port()
    {
        var gatewayService = Single("Service", "mindspace-gateway");
        Assert.True(Selects(gatewayService["spec"]["selector"].ScalarEntries, GatewayDeployment), "the gateway Service does not select the gateway pods");
        var backends = IngressBackends().ToList();
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

        Assert.Single(gatewayService["spec"]["ports"].Items);
    }

    [Fact]
    public void Only_silos_reach_the_silo_port_and_only_gateways_the_orleans_gateway_port()
    {
        var silo = ContainerOf(SiloDeployment);
        var policies = OfKind("NetworkPolicy").Where(p => Selects(p["spec"]["podSelector"]["matchLabels"].ScalarEntries, SiloDeployment)).ToList();
        Assert.NotEmpty(policies);
        Assert.All(policies, policy => Assert.Contains("Ingress", policy["spec"]["policyTypes"].Items.Select(t => t.Text)));

        var expected = new Dictionary<string, Yaml> { [SiloPortName] = SiloDeployment, [OrleansGatewayPortName] = GatewayDeployment };
        foreach (var (portName, allowed) in expected)
        {
            var port = ContainerPort(silo, portName)!;
            var admitting = policies.SelectMany(p => p["spec"]["ingress"].Items).Where(rule => RuleCoversPort(rule, port)).ToList();
            Assert.NotEmpty(admitting);
            foreach (var rule in admitting)
            {
                var peers = rule["from"].Items;
                Assert.True(peers.Count > 0, $"{rule.Path} admits every peer to the {portName} port");
                foreach (var peer in peers)
                {
                    Assert.False(peer["namespaceSelector"].Exists || peer["ipBlock"].Exists, $"{peer.Path} admits peers outside the namespace to the {portName} port");
                    var labels = peer["podSelector"]["matchLabels"].ScalarEntries;
                    Assert.True(
                        labels.ContainsKey("app.kubernetes.io/component") && Selects(labels, allowed),
                        $"{peer.Path} admits pods other than the {allowed["metadata"]["name"].Text} pods to the {portName} port");
                }
            }
        }
    }

    [Fact]
    public void Environment_references_name_variables_defined_before_them()
    {
        // Kubernetes expands $(NAME) only from variables earlier in the list; otherwise it stays literal.
        foreach (var deployment in OfKind("Deployment"))
        {
            var defined = new HashSet<string>();
            foreach (var env in ContainerOf(deployment)["env"].Items)
            {
                var value = env["value"].Value ?? string.Empty;
                foreach (System.Text.RegularExpressions.Match reference in System.Text.RegularExpressions.Regex.Matches(value, @"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)"))
                {
                    Assert.True(defined.Contains(reference.Groups[1].Value), $"{env.Path} uses $({reference.Groups[1].Value}) before it is defined");
                }

                defined.Add(env["name"].Text);
            }
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
            var pod = PodSpecOf(deployment);
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

    /// <summary>The RoleBindings that name this namespace's service account as a subject.</summary>
    private static IEnumerable<Yaml> BindingsOf(string serviceAccount)
    {
        var ns = Kustomization["namespace"].Text;
        return OfKind("RoleBinding").Concat(OfKind("ClusterRoleBinding")).Where(binding => binding["subjects"].Items.Any(subject =>
            subject["kind"].Value == "ServiceAccount" && subject["name"].Value == serviceAccount && (subject["namespace"].Value ?? ns) == ns));
    }

    private static IEnumerable<Yaml> IngressBackends()
        => OfKind("Ingress").SelectMany(i => i["spec"]["rules"].Items).SelectMany(r => r["http"]["paths"].Items).Select(p => p["backend"]["service"]);

    /// <summary>True when a NetworkPolicy ingress rule applies to the container port (no ports = every port).</summary>
    private static bool RuleCoversPort(Yaml rule, Yaml containerPort)
    {
        var ports = rule["ports"].Items;
        if (ports.Count == 0)
        {
            return true;
        }

        var number = containerPort["containerPort"].Int;
        return ports.Any(entry =>
        {
            var port = entry["port"].Value;
            if (port is null || port == containerPort["name"].Value)
            {
                return true;
            }

            if (!int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var first))
            {
                return false;
            }

            var last = entry["endPort"].Exists ? entry["endPort"].Int : first;
            return number >= first && number <= last;
        });
    }

    /// <summary>nginx size syntax: bytes, or a k/m/g suffix.</summary>
    private static long NginxSize(string size)
    {
        var text = size.Trim().ToLowerInvariant();
        var factor = text[^1] switch { 'k' => 1024L, 'm' => 1024L * 1024, 'g' => 1024L * 1024 * 1024, _ => 1L };
        return long.Parse(factor == 1 ? text : text[..^1], CultureInfo.InvariantCulture) * factor;
    }
}
