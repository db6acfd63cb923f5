using Mindspace.Gateway.Community;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Therapist;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Reports;

namespace Mindspace.Gateway.Privacy;

/// <summary>
/// Every module's personal data, in the order the export lists it: one line per module. A module that
/// stores anything about a person adds its section here, so export and account deletion cannot miss it.
/// </summary>
public static class PersonalDataSections
{
    public static IServiceCollection AddMindspacePersonalData(this IServiceCollection services) => services
        .AddSingleton<PersonalData>()
        .AddPersonalDataSection("checkIns", async (g, id) => await g.GetGrain<ICheckInsGrain>(id).ExportAsync(), (g, id) => g.GetGrain<ICheckInsGrain>(id).EraseAsync())
        .AddPersonalDataSection("journal", async (g, id) => await g.GetGrain<IJournalGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IJournalGrain>(id).EraseAsync())
        .AddPersonalDataSection("analytics", async (g, id) => await g.GetGrain<IAnalyticsGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IAnalyticsGrain>(id).EraseAsync())
        .AddPersonalDataSection("reports", async (g, id) => await g.GetGrain<IWeeklyDigestGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IWeeklyDigestGrain>(id).EraseAsync())
        .AddPersonalDataSection("therapist", async (g, id) => await TherapistApi.ExportAsync(g, id), TherapistApi.EraseAsync)
        .AddPersonalDataSection("attention", async (g, id) => await g.GetGrain<IAttentionGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IAttentionGrain>(id).EraseAsync())
        .AddPersonalDataSection("focus", async (g, id) => await g.GetGrain<IFocusGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IFocusGrain>(id).EraseAsync())
        .AddPersonalDataSection("mindfulness", async (g, id) => await g.GetGrain<Mindspace.Grains.Interfaces.Mindfulness.IMindfulnessGrain>(id).ExportAsync(), (g, id) => g.GetGrain<Mindspace.Grains.Interfaces.Mindfulness.IMindfulnessGrain>(id).EraseAsync())
        // The inbox is erased by the user grain itself as the account goes (it may still be notifying until then).
        .AddPersonalDataSection("notifications", async (g, id) => await g.GetGrain<INotificationInboxGrain>(id).ExportAsync(), static (_, _) => Task.CompletedTask)
        .AddPersonalDataSection("notificationReminders", async (g, id) => await g.GetGrain<INotificationRemindersGrain>(id).ExportAsync(), (g, id) => g.GetGrain<INotificationRemindersGrain>(id).EraseAsync())
        .AddPersonalDataSection("shop", async (g, id) => await ShopPrivacy.ExportAsync(g, id), ShopPrivacy.EraseAsync)
        .AddPersonalDataSection("community", CommunityPrivacy.ExportAsync, CommunityPrivacy.EraseAsync)
        .AddPersonalDataSection("communitySocial", async (g, id) => await g.GetGrain<ICommunitySocialGrain>(id).ExportAsync(), (g, id) => g.GetGrain<ICommunitySocialGrain>(id).EraseAsync())
        .AddPersonalDataSection("communityStanding", async (g, id) => await g.GetGrain<IMemberStandingGrain>(id).ExportAsync(), (g, id) => g.GetGrain<IMemberStandingGrain>(id).EraseAsync())
        .AddPersonalDataSection("communityAppeals", async (g, id) => new AppealsExport(await g.GetGrain<IMemberAppealsGrain>(id).ExportAsync()), (g, id) => g.GetGrain<IMemberAppealsGrain>(id).EraseAsync());

    public static IServiceCollection AddPersonalDataSection(
        this IServiceCollection services, string name, Func<IGrainFactory, Guid, Task<object>> export, Func<IGrainFactory, Guid, Task> erase) =>
        services.AddSingleton(new PersonalDataSection(name, export, erase));
}
