using System.Net;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Operations;

/// <summary>A gateway with the Orleans dashboard on, and an admin from ADMIN_EMAILS.</summary>
public sealed class DashboardHost : SharedHost
{
    public const string AdminEmail = "dashboard.admin@example.test";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["DASHBOARD_ENABLED"] = "true";
        settings["ADMIN_EMAILS"] = AdminEmail;
    }
}

/// <summary>The Orleans dashboard shows every grain type and silo: with <c>DASHBOARD_ENABLED=true</c> it is for admins only.</summary>
public sealed class DashboardTests(DashboardHost shared) : IClassFixture<DashboardHost>
{
    /// <summary>The page, and one of the data endpoints it polls.</summary>
    public static TheoryData<string> DashboardPaths => ["/dashboard/", "/dashboard/ClusterStats"];

    private MindspaceTestHost Host => shared.Host;

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public async Task Anyone_without_a_token_gets_401(string path)
        => Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync(path)).StatusCode);

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public async Task A_member_gets_403(string path)
    {
        var member = await Host.RegisterAndLoginAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task An_admin_gets_the_dashboard_and_its_cluster_data()
    {
        var admin = await Host.RegisterAndLoginAsync(email: DashboardHost.AdminEmail);

        var page = await admin.Client.GetAsync("/dashboard/");
        var stats = await admin.Client.GetAsync("/dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal("application/json", stats.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>Without <c>DASHBOARD_ENABLED</c> there is no dashboard at all, not even for admins.</summary>
public sealed class DashboardOffTests(AdminHost shared) : IClassFixture<AdminHost>
{
    [Fact]
    public async Task Without_DASHBOARD_ENABLED_the_dashboard_is_not_there()
    {
        var admin = await shared.Host.RegisterAndLoginAsync(email: AdminHost.AdminEmail);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync("/dashboard/ClusterStats")).StatusCode);
    }
}
