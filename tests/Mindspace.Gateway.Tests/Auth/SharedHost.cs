using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>
/// One gateway shared by the tests of a class (each test uses its own fresh accounts), so the
/// suite does not start a host per test on a busy machine. Subclasses add settings.
/// </summary>
public class SharedHost : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    /// <summary>The clock the host's grains and token issuing read; the system clock unless a subclass sets one.</summary>
    public virtual TimeProvider? Clock => null;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(Configure, Clock, ConfigureServices);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}

/// <summary>A host whose ADMIN_EMAILS names <see cref="AdminEmail"/>.</summary>
public sealed class AdminHost : SharedHost
{
    public const string AdminEmail = "Head.Admin@Example.test";

    protected override void Configure(IDictionary<string, string?> settings) => settings["ADMIN_EMAILS"] = $"someone@example.test, {AdminEmail.ToLowerInvariant()}";
}

public static class AuthTestExtensions
{
    /// <summary>Status of GET /api/v1/me with <paramref name="accessToken"/>.</summary>
    public static async Task<HttpStatusCode> MeStatusAsync(this MindspaceTestHost host, string accessToken)
    {
        using var client = host.CreateClient(accessToken);
        return (await client.GetAsync("/api/v1/me")).StatusCode;
    }


    /// <summary>The token's claims, read without validation.</summary>
    public static JsonWebToken ReadJwt(string token) => new(token);
}
