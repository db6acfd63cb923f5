using System.Xml.Linq;
using static Mindspace.Gateway.Tests.Deploy.DeployRepository;

namespace Mindspace.Gateway.Tests.Deploy;

/// <summary>
/// The Containerfiles cannot be built here (no container engine on CI), so these tests check what a
/// build would trip over: paths, the restore layer, the ignore file, ports, user and entry point.
/// </summary>
public sealed class ContainerfileTests
{
    /// <summary>Files at the repository root that restore reads; they must be in the restore layer.</summary>
    private static readonly string[] RestoreInputPatterns = ["global.json", "Directory.*.props", "Directory.*.targets", "NuGet.config", "nuget.config"];

    public static TheoryData<string> Containerfiles() => [.. Containerfile.InRepository.Select(file => file.Name)];

    private static Containerfile Load(string name) => Containerfile.InRepository.Single(file => file.Name == name);

    [Fact]
    public void There_is_one_containerfile_per_deployment()
    {
        Assert.Equal(
            OfKind("Deployment").Select(d => d["metadata"]["name"].Text).Order(),
            Containerfile.InRepository.Select(file => $"mindspace-{file.Component}").Order());
    }

    [Theory]
    [MemberData(nameof(Containerfiles))]
    public void Every_copy_source_exists_in_the_repository_and_is_not_ignored(string name)
    {
        var ignore = IgnoreFile.Load(Path.Combine(Root, ".containerignore"));
        var copies = Load(name).ContextCopies().ToList();
        Assert.NotEmpty(copies);
        foreach (var (copy, sources) in copies)
        {
            foreach (var source in sources)
            {
                var path = Path.Combine(Root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{name} {copy}: {source} does not exist in the repository");
                Assert.False(ignore.Excludes(source), $"{name} {copy}: {source} is excluded by .containerignore, so the build would not see it");
            }
        }
    }

    [Fact]
    public void The_ignore_file_keeps_build_output_local_data_tests_and_history_out_of_the_context()
    {
        var containerIgnore = File.ReadAllText(Path.Combine(Root, ".containerignore"));
        Assert.Equal(containerIgnore, File.ReadAllText(Path.Combine(Root, ".dockerignore")));

        var ignore = IgnoreFile.Load(Path.Combine(Root, ".containerignore"));
        string[] excluded = [".git/config", "Mindspace.Gateway/bin/Debug/x.dll", "Mindspace.Silo/obj/project.assets.json", "data/mindspace.db", "tests/Mindspace.Gateway.Tests/x.cs", "deploy/local/.run/tls/tls.key"];
        Assert.All(excluded, path => Assert.True(ignore.Excludes(path), $"{path} would be sent to the builder"));
        Assert.False(ignore.Excludes("Mindspace.Gateway/Program.cs"));
        // Orleans' PostgreSQL scripts are built into the silo: the build must see them.
        Assert.False(ignore.Excludes("Mindspace.Silo/Storage/Postgres/Scripts/PostgreSQL-Main.sql"));
    }

    [Theory]
    [MemberData(nameof(Containerfiles))]
    public void Restore_layer_holds_exactly_what_restore_reads_for_every_project_the_image_builds(string name)
    {
        var file = Load(name);
        var restore = Assert.Single(file.All("RUN"), run => run.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var project = Assert.Single(restore.Words, word => word.EndsWith(".csproj", StringComparison.Ordinal));
        var publish = Assert.Single(file.All("RUN"), run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.Contains(project, publish.Words);
        Assert.Contains("--no-restore", publish.Words);

        var beforeRestore = file.ContextCopies().Where(c => c.Copy.Line < restore.Line).SelectMany(c => c.Sources).ToHashSet();
        var beforePublish = file.ContextCopies().Where(c => c.Copy.Line < publish.Line).SelectMany(c => c.Sources).ToList();
        var closure = ProjectClosure(project);
        foreach (var csproj in closure)
        {
            Assert.True(beforeRestore.Contains(csproj), $"{name}: {csproj} is referenced by {project} but not copied before `dotnet restore`");
            var directory = Path.GetDirectoryName(csproj)!;
            Assert.True(beforePublish.Any(source => source.TrimEnd('/') == directory), $"{name}: {directory}/ is not copied before `dotnet publish`");
        }

        // Nothing else: a project the image does not build (a deleted one, say) only slows the build down,
        // and fails it once its directory is gone.
        var projectDirectories = closure.Select(csproj => Path.GetDirectoryName(csproj)!).ToHashSet();
        foreach (var source in file.ContextCopies().SelectMany(c => c.Sources))
        {
            var topLevel = source.TrimEnd('/').Split('/')[0];
            if (Directory.Exists(Path.Combine(Root, topLevel)) || source.EndsWith(".csproj", StringComparison.Ordinal))
            {
                Assert.True(projectDirectories.Contains(topLevel), $"{name}: copies {source}, which belongs to no project {project} references");
            }
        }

        // Only files in the restore layer: a directory there would invalidate the package cache on every edit.
        Assert.All(beforeRestore, source => Assert.True(File.Exists(Path.Combine(Root, source)), $"{name}: {source} before restore is not a single file"));
        var restoreInputs = RestoreInputPatterns.SelectMany(pattern => Directory.GetFiles(Root, pattern)).Select(Path.GetFileName).Distinct();
        Assert.All(restoreInputs, input => Assert.Contains(input!, beforeRestore));
    }

    [Theory]
    [MemberData(nameof(Containerfiles))]
    public void Image_runs_the_published_assembly_on_the_matching_dotnet_as_a_numeric_non_root_user(string name)
    {
        var file = Load(name);
        var project = Assert.Single(Assert.Single(file.All("RUN"), run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Words,
            word => word.EndsWith(".csproj", StringComparison.Ordinal));
        var assembly = XDocument.Load(Path.Combine(Root, project)).Descendants("AssemblyName").FirstOrDefault()?.Value
            ?? Path.GetFileNameWithoutExtension(project);
        Assert.Equal(new[] { "dotnet", $"{assembly}.dll" }, Assert.Single(file.InFinalStage("ENTRYPOINT")).Words);

        var framework = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var dotnetVersion = framework.Replace("net", string.Empty, StringComparison.Ordinal);
        var images = file.All("FROM").Select(from => from.Words[0]).ToList();
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{dotnetVersion}", images[0]);
        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{dotnetVersion}", images[^1]);

        // Kubernetes' runAsNonRoot can only verify a numeric user; $APP_UID is the images' "app" user.
        var user = file.InFinalStage("USER").Last().Arguments;
        Assert.True(user == "$APP_UID" || (int.TryParse(user, out var uid) && uid > 0), $"{name}: USER {user} is not a numeric non-root user");
    }

    [Theory]
    [MemberData(nameof(Containerfiles))]
    public void Image_exposes_exactly_the_ports_its_deployment_declares_except_opt_in_metrics(string name)
    {
        var file = Load(name);
        var exposed = file.InFinalStage("EXPOSE").SelectMany(expose => expose.Words).Select(port => port.Split('/')[0]).Order();
        var deployment = Single("Deployment", $"mindspace-{file.Component}");
        var container = ContainerOf(deployment);

        // The image serves /metrics only when METRICS_PORT is set (the Deployment sets it), so it does not
        // announce that port.
        var metricsPort = ResolveEnv(container, "METRICS_PORT");
        var declared = container["ports"].Items.Select(port => port["containerPort"].Text).Where(port => port != metricsPort).Order();
        Assert.Equal(declared, exposed);
    }

    [Theory]
    [MemberData(nameof(Containerfiles))]
    public void Files_the_built_projects_include_lie_inside_what_the_image_copies(string name)
    {
        var file = Load(name);
        var publish = Assert.Single(file.All("RUN"), run => run.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        var project = Assert.Single(publish.Words, word => word.EndsWith(".csproj", StringComparison.Ordinal));
        var copied = file.ContextCopies().Where(c => c.Copy.Line < publish.Line).SelectMany(c => c.Sources)
            .Select(source => Path.GetFullPath(Path.Combine(Root, source)).TrimEnd(Path.DirectorySeparatorChar))
            .ToList();
        string[] fileItems = ["Compile", "EmbeddedResource", "Content", "None"];
        foreach (var csproj in ProjectClosure(project))
        {
            var projectDirectory = Path.GetDirectoryName(Path.Combine(Root, csproj))!;
            var includes = XDocument.Load(Path.Combine(Root, csproj)).Descendants()
                .Where(item => fileItems.Contains(item.Name.LocalName))
                .Select(item => item.Attribute("Include")?.Value)
                .OfType<string>()
                .SelectMany(include => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            foreach (var include in includes)
            {
                // Up to the first wildcard: the directory the glob (or the file itself) lives in.
                var literal = include.Replace('\\', '/').Split('*')[0];
                var path = Path.GetFullPath(Path.Combine(projectDirectory, literal)).TrimEnd(Path.DirectorySeparatorChar);
                Assert.True(
                    copied.Any(source => path == source || path.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal)),
                    $"{name}: {csproj} includes {include}, which is outside everything the image copies (the build context is the repository root)");
            }
        }
    }

    /// <summary>The project and every project it references, transitively, as root-relative paths.</summary>
    private static IReadOnlyList<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (seen.Contains(current))
            {
                continue;
            }

            seen.Add(current);
            var directory = Path.GetDirectoryName(Path.Combine(Root, current))!;
            foreach (var reference in XDocument.Load(Path.Combine(Root, current)).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(directory, include))).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
