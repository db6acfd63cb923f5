namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>One embedded gateway shared by a test class; every test registers its own users.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
