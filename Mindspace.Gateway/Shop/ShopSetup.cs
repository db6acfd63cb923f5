using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>The shop's services in the gateway: settings, payment providers, webhook processing, seeding and invoices.</summary>
public static class ShopSetup
{
    public static IServiceCollection AddMindspaceShop(this IServiceCollection services)
    {
        services.AddSingleton(sp => ShopSettings.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<AuthSettings>()));
        services.AddSingleton<PaymentProviders>();

        // No retry handler: a refund sent twice could pay twice. The client looks its refund up by receipt instead.
        services.AddHttpClient(RazorpayClient.HttpClientName)
            .ConfigureHttpClient((sp, client) => RazorpayClient.Configure(client, sp.GetRequiredService<ShopSettings>()));
        services.AddSingleton<RefundExecutor>();
        services.AddSingleton<PaymentWebhookProcessor>();
        services.AddSingleton<CheckoutService>();
        services.AddHostedService<CatalogSeeder>();
        InvoiceFonts.Install();
        return services;
    }

    /// <summary>Adds the starter catalogue to an empty shop at start (in embedded mode unless <c>SHOP_SEED_CATALOG=false</c>).</summary>
    private sealed class CatalogSeeder(ShopSettings settings, IGrainFactory grains, ILogger<CatalogSeeder> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!settings.SeedCatalog)
            {
                return;
            }

            var added = await grains.GetGrain<ICatalogGrain>(0).SeedIfEmptyAsync(StarterCatalogue.Products);
            if (added > 0)
            {
                ShopLog.CatalogSeeded(logger, added);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
