using Mindspace.Gateway.Analytics;
using Mindspace.Gateway.Attention;
using Mindspace.Gateway.Community;
using Mindspace.Gateway.Focus;
using Mindspace.Gateway.Journal;
using Mindspace.Gateway.Mindfulness;
using Mindspace.Gateway.Notifications;
using Mindspace.Gateway.Reports;
using Mindspace.Gateway.Safety;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Therapist;

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
        app.MapJournalApi();
        app.MapNotificationsHub();
        app.MapAnalyticsApi();
        app.MapReportsApi();
        app.MapSafetyApi();
        app.MapTherapistApi();
        app.MapAttentionApi();
        app.MapFocusApi();
        app.MapNotificationsInboxApi();
        app.MapShopApi();
        app.MapMindfulnessApi();
        app.MapCommunityApi();
        app.MapSocialApi();
        return app;
    }
}
