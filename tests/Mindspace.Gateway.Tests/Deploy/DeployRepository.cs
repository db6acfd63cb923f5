using Xunit.Sdk;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// The deployment files as they sit in the repository: the manifests kustomization.yaml deploys, the
/// Secret template, and what the manifests say about each Deployment's single container.
/// </summary>
internal static class DeployRepository
{
    public const string KustomizationFile = "kustomization.yaml";
    public const string SecretTemplateFile = "secret.example.yaml";

    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<Yaml>> DeployedManifests = new(LoadDeployed);

    public static string Root => RootPath.Value;

    public static string K8sDirectory => Path.Combine(Root, "deploy", "k8s");

    public static Yaml Kustomization => Yaml.LoadAll(Path.Combine(K8sDirectory, KustomizationFile)).Single();

    public static IReadOnlyList<string> KustomizationResources => [.. Kustomization["resources"].Items.Select(item => item.Text)];

    /// <summary>Every object the kustomization applies.</summary>
    public static IReadOnlyList<Yaml> Deployed => DeployedManifests.Value;

    public static IReadOnlyList<Yaml> SecretTemplates => Yaml.LoadAll(Path.Combine(K8sDirectory, SecretTemplateFile));

    public static IEnumerable<Yaml> OfKind(string kind) => Deployed.Where(manifest => manifest["kind"].Value == kind);

    public static Yaml Single(string kind, string name)
        => OfKind(kind).SingleOrDefault(manifest => manifest["metadata"]["name"].Value == name)
            ?? throw new XunitException($"no {kind} named {name} among the kustomization's resources");

    public static Yaml SiloDeployment => Single("Deployment", "mindspace-silo");

    public static Yaml GatewayDeployment => Single("Deployment", "mindspace-gateway");

    public static Yaml SecretTemplate(string name)
        => SecretTemplates.SingleOrDefault(manifest => manifest["kind"].Value == "Secret" && manifest["metadata"]["name"].Value == name)
            ?? throw new XunitException($"{SecretTemplateFile} defines no Secret named {name}");

    /// <summary>The keys a Secret template defines (stringData and data).</summary>
    public static IReadOnlySet<string> KeysOf(Yaml secret)
        => secret["stringData"].ScalarEntries.Keys.Concat(secret["data"].ScalarEntries.Keys).ToHashSet();

    public static Yaml PodSpecOf(Yaml deployment) => deployment["spec"]["template"]["spec"];

    public static IReadOnlyDictionary<string, string> PodLabelsOf(Yaml deployment) => deployment["spec"]["template"]["metadata"]["labels"].ScalarEntries;

    /// <summary>The downward-API field an environment variable is filled from, or null.</summary>
    public static string? FieldRefOf(Yaml container, string name) => EnvOf(container, name)?["valueFrom"]["fieldRef"]["fieldPath"].Value;

    /// <summary>The Deployment's one container (each Mindspace pod runs exactly one).</summary>
    public static Yaml ContainerOf(Yaml deployment)
        => Assert.Single(deployment["spec"]["template"]["spec"]["containers"].Items);

    public static Yaml? EnvOf(Yaml container, string name)
        => container["env"].Items.SingleOrDefault(env => env["name"].Value == name);

    /// <summary>
    /// The value a container sees for an environment variable: a literal or a ConfigMap key the
    /// kustomization deploys. Null when it is unset, comes from a Secret or the downward API, or names an
    /// optional ConfigMap key that is absent.
    /// </summary>
    public static string? ResolveEnv(Yaml container, string name)
    {
        if (EnvOf(container, name) is not { } env)
        {
            return null;
        }

        if (env["value"].Exists)
        {
            return env["value"].Value;
        }

        var reference = env["valueFrom"]["configMapKeyRef"];
        if (!reference.Exists)
        {
            return null;
        }

        var configMap = Single("ConfigMap", reference["name"].Text);
        return configMap["data"].ScalarEntries.TryGetValue(reference["key"].Text, out var value) ? value
            : reference["optional"].Value == "true" ? null
            : throw new XunitException($"{env.Path} reads key {reference["key"].Text} that ConfigMap {reference["name"].Text} lacks");
    }

    /// <summary>The container port a probe, Service or policy names: by port name or by number.</summary>
    public static Yaml? ContainerPort(Yaml container, string nameOrNumber)
        => container["ports"].Items.SingleOrDefault(port => port["name"].Value == nameOrNumber || port["containerPort"].Value == nameOrNumber);

    /// <summary>True when every label of the selector is on the Deployment's pods.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, Yaml deployment)
    {
        var labels = deployment["spec"]["template"]["metadata"]["labels"].ScalarEntries;
        return selector.Count > 0 && selector.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value);
    }

    private static string FindRoot()
    {
        // Lets a build outside the work tree (a scratch project compiling only these files) find it.
        if (Environment.GetEnvironmentVariable("MINDSPACE_ROOT") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "Mindspace.sln"))
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"MINDSPACE_ROOT={configured} holds no Mindspace.sln.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mindspace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} holds Mindspace.sln.");
    }

    private static IReadOnlyList<Yaml> LoadDeployed()
        => [.. KustomizationResources.SelectMany(resource => Yaml.LoadAll(Path.Combine(K8sDirectory, resource)))];
}
