using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Records;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// Which record tables the grains declare fan-out (<see cref="RecordCollectionAttribute.GatherWrites"/>):
/// a notification inbox's appends may wait a moment to share a commit; a check-in, which a request waits
/// on, may not.
/// </summary>
public sealed class InboxWritesGatherTests : IAsyncLifetime
{
    private CheckInsGrainHost _host = null!;
    private ObservedRecordStore _store = null!;

    public async Task InitializeAsync()
    {
        (_host, _store) = await CheckInsGrainHost.StartObservedAsync(DateTimeOffset.UtcNow);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_inbox_declares_its_table_fan_out_and_check_ins_do_not()
    {
        var user = Guid.NewGuid();
        await _host.Grains.GetGrain<ICheckInsGrain>(user).CreateEntryAsync(new NewEntry("A quiet morning.", 3, []));
        Assert.Empty(_store.GatheredTables);

        var appended = await _host.Grains.GetGrain<INotificationInboxGrain>(user)
            .AppendAsync(new UserNotification(Guid.NewGuid(), "test.fan-out", "Hello", "A note.", DateTimeOffset.UtcNow));

        Assert.Equal(1, appended.Sequence);
        Assert.Equal(["notification_inbox"], _store.GatheredTables);
    }
}
