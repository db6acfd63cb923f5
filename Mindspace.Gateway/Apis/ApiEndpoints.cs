using Mindspace.Gateway.Notifications;
using Mindspace.Gateway.Shop;

namespace Mindspace.Gateway.Apis;

/// <summary>Every module's routes, in one place.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapMindspaceApis(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        app.MapMeApi();
        app.MapAdminApi();
        app.MapEntriesApi();
        app.MapMoodApi();
        app.MapNotificationsHub();
        app.MapShopApi();
        return app;
    }
}
