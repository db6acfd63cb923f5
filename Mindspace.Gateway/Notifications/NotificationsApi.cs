using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindspace.Gateway.Hosting;
using Mindspace.Silo;
using Mindspace.Silo.Notifications;

namespace Mindspace.Gateway.Notifications;

/// <summary>The notifications hub and its published contract.</summary>
public static class NotificationsApi
{
    /// <summary>SignalR and this gateway's relay of users' notifications (one grain observer for the process).</summary>
    public static IServiceCollection AddMindspaceNotifications(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddObserverRelay<NotificationRelay>();

        // The VAPID public key and which endpoints are accepted (a silo in this process registered it already).
        services.TryAddSingleton(sp => WebPushSettings.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<SiloSettings>()));
        return services;
    }

    /// <summary>Maps <c>/hubs/notifications</c> (authenticated) and <c>/openapi/hubs.json</c> (the hub contract).</summary>
    public static IEndpointRouteBuilder MapNotificationsHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<NotificationsHub>(NotificationsHub.Path, options =>
        {
            // A connection lives no longer than the token it was opened with.
            options.CloseOnAuthenticationExpiration = true;
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
        }).ReadOnConnectionRequest();

        app.MapGet(HubContracts.Path, () => TypedResults.Text(HubContracts.Json, "application/json"))
            .AllowAnonymous()
            .ExcludeFromDescription();

        return app;
    }
}
